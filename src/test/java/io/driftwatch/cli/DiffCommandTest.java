package io.driftwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.demo.DriftScenario;
import io.driftwatch.flyway.FlywayConfigFile;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code driftwatch diff} end to end on real PostgreSQL with the shop fixture: live vs live, live
 * vs migrations, migrations@16 vs migrations, snapshot vs live; exit 0 equal, 1 different, 2 bad input.
 */
class DiffCommandTest {

    static final Path SHOP = Path.of(System.getProperty("driftwatch.projectDir", ".")).resolve("fixtures/shop");
    static final String MIGRATIONS = "migrations:" + SHOP.resolve("migrations");

    static ShadowDatabase clean;
    static ShadowDatabase handAddedIndex;

    @BeforeAll
    static void migrate(@TempDir Path work) throws Exception {
        Map<String, String> placeholders = new FlywayConfigFile().read(SHOP.resolve("flyway.toml")).placeholders();
        clean = TestPostgres.newDatabase();
        DriftScenario.load(SHOP.resolve("drift/clean")).apply(clean, SHOP.resolve("migrations"), placeholders, work);
        handAddedIndex = TestPostgres.newDatabase();
        DriftScenario.load(SHOP.resolve("drift/hand-added-index"))
                .apply(handAddedIndex, SHOP.resolve("migrations"), placeholders, work);
    }

    @AfterAll
    static void drop() {
        clean.close();
        handAddedIndex.close();
    }

    /** @return a JDBC URL with user and password as parameters (the password must never be printed) */
    static String url(ShadowDatabase db) {
        return AuditCommandTest.withCredentials(db.jdbcUrl());
    }

    static String display(ShadowDatabase db) {
        ShadowServer s = TestPostgres.server();
        return "postgresql://" + s.user() + "@" + hostPort(db.jdbcUrl()) + "/" + db.name();
    }

    private static String hostPort(String jdbcUrl) {
        String rest = jdbcUrl.substring("jdbc:postgresql://".length());
        return rest.substring(0, rest.indexOf('/'));
    }

    /** Runs {@code driftwatch diff} with the shop placeholder and the test server as shadow. */
    static CliRun diff(String... args) {
        List<String> all = new ArrayList<>(List.of("diff", "--placeholder", "app_role=shop_app",
                "--shadow", "url", "--shadow-url", AuditCommandTest.shadowUrl()));
        all.addAll(List.of(args));
        CliRun r = CliRun.of(all.toArray(String[]::new));
        String password = TestPostgres.server().password();
        if (password != null && !password.isEmpty()) {
            assertFalse(r.all().contains(password), "password printed: " + r.all());
        }
        return r;
    }

    @Test
    void twoLiveDatabasesGiveExactlyTheHandAddedIndex() {
        CliRun r = diff("--from", url(clean), "--to", url(handAddedIndex));
        assertEquals(1, r.exitCode(), r.all());
        assertEquals("+ index public.orders.orders_status_placed_at_idx\n", r.out());
        assertTrue(r.err().endsWith("1 change: 1 added, 0 removed, 0 modified\n"), r.err());

        CliRun back = diff("--from", url(handAddedIndex), "--to", url(clean), "--quiet");
        assertEquals(1, back.exitCode(), back.all());
        assertEquals("- index public.orders.orders_status_placed_at_idx\n", back.out());
        assertEquals("", back.err());
    }

    @Test
    void jsonListsEachChangeWithBothSides() throws Exception {
        CliRun r = diff("--from", url(clean), "--to", url(handAddedIndex), "--format", "json");
        assertEquals(1, r.exitCode(), r.all());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals(1, doc.get("formatVersion").asInt());
        assertEquals(display(clean), doc.get("from").get("source").asText());
        assertEquals(display(handAddedIndex), doc.get("to").get("source").asText());
        assertTrue(doc.get("from").get("contentHash").asText().matches("sha256:[0-9a-f]{64}"));
        assertFalse(doc.get("equal").asBoolean());
        assertEquals(1, doc.get("changes").size());
        JsonNode c = doc.get("changes").get(0);
        assertEquals("add", c.get("action").asText());
        assertEquals("index", c.get("kind").asText());
        assertEquals("public.orders.orders_status_placed_at_idx", c.get("object").asText());
        assertEquals("public", c.get("schema").asText());
        assertEquals("orders", c.get("parent").asText());
        assertEquals("orders_status_placed_at_idx", c.get("name").asText());
        assertEquals(0, c.get("attributes").size());
        assertTrue(c.get("from").isNull());
        assertEquals("CREATE INDEX orders_status_placed_at_idx ON public.orders USING btree (status, placed_at DESC)",
                c.get("to").asText());
        assertEquals("+ index public.orders.orders_status_placed_at_idx", c.get("line").asText());
    }

    @Test
    void aMigratedDatabaseEqualsItsMigrations() {
        CliRun r = diff("--from", MIGRATIONS, "--to", url(clean));
        assertEquals(0, r.exitCode(), r.all());
        assertEquals("", r.out());
        assertTrue(r.err().endsWith("no differences\n"), r.err());
    }

    @Test
    void migrationsAtSixteenVersusAllGivesTheV17AndV18Objects() {
        CliRun r = diff("--from", MIGRATIONS + "@16", "--to", MIGRATIONS);
        assertEquals(1, r.exitCode(), r.all());
        assertEquals("+ materialized view public.customer_order_stats\n"
                + "+ column public.customers.marketing_opt_in\n", r.out());
    }

    @Test
    void aModifiedColumnShowsFromAndTo(@TempDir Path dir) throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            Map<String, String> placeholders = Map.of("app_role", "shop_app");
            DriftScenario.load(SHOP.resolve("drift/changed-default")).apply(db, SHOP.resolve("migrations"), placeholders, dir);
            CliRun r = diff("--from", url(clean), "--to", url(db));
            assertEquals(1, r.exitCode(), r.all());
            assertEquals("~ column public.orders.currency: default 'EUR'::bpchar → 'USD'::bpchar\n", r.out());
        }
    }

    @Test
    void snapshotVersusLiveIsEqual(@TempDir Path dir) {
        Path snap = dir.resolve("clean.json");
        CliRun inspect = CliRun.of("inspect", url(clean), "--out", snap.toString());
        assertEquals(0, inspect.exitCode(), inspect.all());
        CliRun r = diff("--from", "snapshot:" + snap, "--to", url(clean));
        assertEquals(0, r.exitCode(), r.all());
        assertEquals("", r.out());
        CliRun plain = diff("--from", snap.toString(), "--to", url(handAddedIndex));
        assertEquals(1, plain.exitCode(), plain.all());
        assertEquals("+ index public.orders.orders_status_placed_at_idx\n", plain.out());
    }

    @Test
    void outputToAFileAndSchemaScope(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("changes.txt");
        CliRun r = diff("--from", url(clean), "--to", url(handAddedIndex), "--out", out.toString(),
                "--schemas", "billing");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals("", Files.readString(out));
        CliRun all = diff("--from", url(clean), "--to", url(handAddedIndex), "--out", out.toString(),
                "--exclude", "public.orders.*_idx");
        assertEquals(0, all.exitCode(), all.all());
    }

    @Test
    void badInputExitsTwoWithOneLine(@TempDir Path dir) throws Exception {
        CliRun unknown = diff("--from", "db/migration", "--to", url(clean));
        AuditCommandTest.assertOneLineError(unknown, 2, "--from: unknown source 'db/migration' (a folder of migrations "
                + "is written migrations:db/migration); expected one of: jdbc:postgresql://host:port/db, "
                + "postgresql://user@host:port/db, migrations:DIR[@VERSION], snapshot:FILE.json (or any path ending in .json)");

        Path future = dir.resolve("future.json");
        CliRun inspect = CliRun.of("inspect", url(clean), "--out", future.toString());
        assertEquals(0, inspect.exitCode(), inspect.all());
        Files.writeString(future, Files.readString(future).replace("\"formatVersion\" : 2,", "\"formatVersion\" : 999,"));
        CliRun refused = diff("--from", future.toString(), "--to", url(clean));
        AuditCommandTest.assertOneLineError(refused, 2, "snapshot " + future + " has snapshot formatVersion 999; "
                + "this driftwatch reads formatVersion 1 to 2 only: use a newer driftwatch, or re-create it with this one's inspect");

        AuditCommandTest.assertOneLineError(diff("--from", MIGRATIONS + "@99", "--to", url(clean)), 2,
                "source " + MIGRATIONS + "@99: no migration has version 99 (versions 1 to 18 exist)");
        AuditCommandTest.assertOneLineError(diff("--from", "migrations:" + dir.resolve("none"), "--to", url(clean)), 2,
                "migrations folder " + dir.resolve("none") + " does not exist");
        AuditCommandTest.assertOneLineError(diff("--from", url(clean), "--to", url(clean), "--format", "xml"), 2,
                "--format 'xml' is not one of text, json, html");
        AuditCommandTest.assertOneLineError(diff("--from", url(clean), "--to", url(clean), "--schemas", "nope"), 2,
                "schema \"nope\" exists in neither --from nor --to (check --schemas)");
        CliRun missing = CliRun.of("diff", "--from", url(clean));
        assertEquals(2, missing.exitCode(), missing.all());
        assertTrue(missing.err().contains("Missing required option: '--to=SOURCE'"), missing.err());
    }

    @Test
    void htmlShowsBothSidesAndRendersInChromium(@TempDir Path dir) throws Exception {
        Path page = dir.resolve("diff.html");
        CliRun r = diff("--from", url(clean), "--to", url(handAddedIndex), "--format", "html", "--out", page.toString());
        assertEquals(1, r.exitCode(), r.all());
        String html = Files.readString(page);
        assertTrue(html.contains("1 change turn --from into --to"), html);
        assertTrue(html.contains("Only in --to (added)"), html);
        assertTrue(html.contains("<code>public.orders.orders_status_placed_at_idx</code>"), html);
        assertTrue(html.contains("CREATE INDEX orders_status_placed_at_idx ON public.orders"), html);
        assertFalse(html.contains("\\u000a"), "line breaks in SQL stay line breaks");
        assertFalse(html.contains(TestPostgres.server().password()));
        Path script = Path.of(System.getProperty("driftwatch.projectDir", ".")).resolve("scripts/check-html-in-chromium.sh");
        Process p = new ProcessBuilder("bash", script.toString(), page.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "chromium check failed (apt-get install chromium):\n" + out);
    }

    @Test
    void multiLineDefinitionsKeepTheirLineBreaksInHtml(@TempDir Path dir) throws Exception {
        Path page = dir.resolve("view-diff.html");
        try (ShadowDatabase changedView = TestPostgres.newDatabase()) {
            DriftScenario.load(SHOP.resolve("drift/changed-view"))
                    .apply(changedView, SHOP.resolve("migrations"), Map.of("app_role", "shop_app"), dir);
            CliRun r = diff("--from", url(clean), "--to", url(changedView), "--format", "html", "--out", page.toString());
            assertEquals(1, r.exitCode(), r.all());
        }
        String html = Files.readString(page);
        assertTrue(html.contains("<code>public.order_totals</code>"), html);
        // pg_get_viewdef puts FROM and WHERE on lines of their own; the page must keep them there
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("SELECT o\\.id AS order_id,\n").matcher(html);
        assertTrue(m.find(), "the view's first line ends in a real line break: " + html);
        assertTrue(html.contains("\n  WHERE o.status &lt;&gt; &#39;cancelled&#39;::public.order_status"),
                "WHERE stays on its own line: " + html);
        assertFalse(html.contains("\\u000a") || html.contains("\\n  WHERE"), "no escaped line breaks");
    }

    @Test
    void theBridgeMovesFromToTo(@TempDir Path dir) throws Exception {
        Path bridge = dir.resolve("bridge.sql");
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            DriftScenario.load(SHOP.resolve("drift/clean"))
                    .apply(db, SHOP.resolve("migrations"), Map.of("app_role", "shop_app"), dir);
            CliRun r = diff("--from", url(db), "--to", url(handAddedIndex), "--bridge", bridge.toString(),
                    "--no-concurrently");
            assertEquals(1, r.exitCode(), r.all());
            assertTrue(r.err().contains("verified bridge: " + bridge + " (1 statements"), r.err());
            String sql = Files.readString(bridge);
            assertTrue(sql.contains("\n-- Moves " + display(db) + " to " + display(handAddedIndex) + ": 1 statement,"), sql);
            assertTrue(sql.contains("\n-- Verified: Driftwatch ran this file, byte for byte, in a shadow database"), sql);
            assertTrue(sql.contains("orders_status_placed_at_idx"), sql);
            String conf = Files.readString(dir.resolve("bridge.sql.conf"));
            assertTrue(conf.contains("\nplaceholderReplacement=false\nencoding=UTF-8\n"), conf);
            assertFalse(conf.contains("executeInTransaction"), "--no-concurrently: runs in a transaction: " + conf);
            try (java.sql.Connection c = db.connect(); java.sql.Statement st = c.createStatement()) {
                st.execute(sql);
                st.execute(sql); // idempotent
            }
            CliRun after = diff("--from", url(db), "--to", url(handAddedIndex));
            assertEquals(0, after.exitCode(), after.all());
        }
    }

    @Test
    void destructiveBridgeStatementsAreCommentedOut(@TempDir Path dir) throws Exception {
        Path bridge = dir.resolve("down.sql");
        CliRun r = diff("--from", MIGRATIONS, "--to", MIGRATIONS + "@16", "--bridge", bridge.toString());
        assertEquals(1, r.exitCode(), r.all());
        assertEquals("- materialized view public.customer_order_stats\n"
                + "- column public.customers.marketing_opt_in\n", r.out());
        String sql = Files.readString(bridge);
        assertTrue(sql.contains("--     destructive: commented out\n-- "), sql);
        assertTrue(sql.contains("regenerate with --allow-destructive to include them"), sql);
        assertTrue(sql.contains("\n-- Verified:"), "verified, the dropped objects left for the commented-out statements: " + sql);
        for (String line : sql.split("\n")) {
            assertTrue(line.isEmpty() || line.startsWith("--") || !line.contains("marketing_opt_in"),
                    "live statement drops data: " + line);
        }
    }

    @Test
    void anUnreachableDatabaseExitsThree() {
        CliRun r = diff("--from", "postgresql://nobody:pw@127.0.0.1:1/shop", "--to", url(clean));
        AuditCommandTest.assertOneLineError(r, 3, "cannot reach source postgresql://nobody@127.0.0.1:1/shop");
    }
}
