package io.driftwatch.cli;

import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.flywaydb.core.Flyway;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code driftwatch audit} end to end through the CLI on a real PostgreSQL: exit codes, one-line
 * errors without stack traces or passwords, reports written only for completed audits.
 */
class AuditCommandTest {

    static final String V1 = "CREATE TABLE account (id bigint PRIMARY KEY, email text NOT NULL);\n";
    static final String V2 = "CREATE INDEX account_email_idx ON account (lower(email));\n";

    static ShadowDatabase migrated;
    static Path migrations;

    @BeforeAll
    static void migrate(@TempDir Path dir) throws Exception {
        migrations = dir.resolve("sql");
        Files.createDirectories(migrations);
        Files.writeString(migrations.resolve("V1__account.sql"), V1, StandardCharsets.UTF_8);
        Files.writeString(migrations.resolve("V2__account_email_idx.sql"), V2, StandardCharsets.UTF_8);
        migrated = TestPostgres.newDatabase();
        ShadowServer s = TestPostgres.server();
        Flyway.configure().dataSource(s.jdbcUrl(migrated.name()), s.user(), s.password())
                .locations("filesystem:" + migrations).load().migrate();
    }

    @AfterAll
    static void drop() {
        migrated.close();
    }

    static String url(String db) {
        ShadowServer s = TestPostgres.server();
        return s.jdbcUrl(db);
    }

    static String shadowUrl() {
        return withCredentials(TestPostgres.server().jdbcUrl("postgres"));
    }

    static String withCredentials(String jdbcUrl) {
        ShadowServer s = TestPostgres.server();
        return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "user=" + s.user() + "&password=" + s.password();
    }

    static CliRun audit(Path out, String... extra) {
        ShadowServer s = TestPostgres.server();
        String[] base = {"audit", "--url", url(migrated.name()), "--user", s.user(), "--password", s.password(),
                "--migrations", migrations.toString(), "--shadow", "url", "--shadow-url", shadowUrl(),
                "--out", out.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    static void assertOneLineError(CliRun r, int code, String fragment) {
        assertEquals(code, r.exitCode(), r.all());
        String[] lines = r.err().strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("driftwatch: "), r.err());
        assertTrue(last.contains(fragment), "expected '" + fragment + "' in: " + last);
        assertFalse(r.all().contains("\tat "), "no stack trace without --verbose: " + r.all());
        assertFalse(r.all().contains(TestPostgres.server().password()), "password leaked: " + r.all());
    }

    @Test
    void cleanDatabaseExitsZeroAndWritesBothReports(@TempDir Path out) throws Exception {
        CliRun r = audit(out);
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("0 findings"), r.out());
        String json = Files.readString(out.resolve("report.json"));
        assertTrue(json.contains("\"status\" : \"clean\"") || json.contains("\"status\":\"clean\""), json);
        assertTrue(Files.readString(out.resolve("report.html")).contains("<html"));
        assertFalse(json.contains(TestPostgres.server().password()));
    }

    @Test
    void everyReportFormatComesFromOneAudit(@TempDir Path out) throws Exception {
        Files.writeString(out.resolve("report.sarif"), "stale");
        CliRun r = audit(out, "--format", "json,html,sarif,junit,markdown,text");
        assertEquals(0, r.exitCode(), r.all());
        for (String name : new String[] {"report.json", "report.html", "report.sarif", "report.junit.xml", "report.md",
                "report.txt"}) {
            Path p = out.resolve(name);
            assertTrue(Files.isRegularFile(p) && Files.size(p) > 0, name + " missing or empty: " + r.all());
            assertTrue(r.out().contains("report: " + p), r.out());
        }
        assertTrue(Files.readString(out.resolve("report.sarif")).contains("\"version\" : \"2.1.0\""));
        assertTrue(Files.readString(out.resolve("report.junit.xml")).contains("<testsuites"));
        assertTrue(Files.readString(out.resolve("report.md")).contains("driftwatch: clean, passed"));
        assertTrue(Files.readString(out.resolve("report.txt")).contains("0 findings"));
        CliRun bad = audit(out, "--format", "json,pdf");
        assertEquals(2, bad.exitCode(), bad.all());
        assertTrue(bad.err().contains("json, html, sarif, junit, markdown (md), text"), bad.err());
        assertFalse(Files.exists(out.resolve("report.sarif")), "stale reports are removed before the audit");
        assertFalse(Files.exists(out.resolve("report.json")), "an unknown format writes no report at all");
    }

    @Test
    void handAddedIndexIsDriftAndExitsOne(@TempDir Path out) throws Exception {
        try (Connection c = TestPostgres.server().connect(migrated.name()); Statement st = c.createStatement()) {
            st.execute("CREATE INDEX account_id_hand ON account (id, email)");
        }
        try {
            CliRun r = audit(out);
            assertEquals(1, r.exitCode(), r.all());
            assertTrue(r.out().contains("DW101"), r.out());
            assertTrue(r.out().contains("public.account.account_id_hand"), r.out());
            CliRun tolerant = audit(out, "--fail-on", "error");
            assertEquals(0, tolerant.exitCode(), "a warning does not fail at --fail-on error");
            CliRun excluded = audit(out, "--exclude", "public.account.account_id_*");
            assertEquals(0, excluded.exitCode(), excluded.all());
        } finally {
            try (Connection c = TestPostgres.server().connect(migrated.name()); Statement st = c.createStatement()) {
                st.execute("DROP INDEX account_id_hand");
            }
        }
    }

    @Test
    void flywayConfigSuppliesLocationsAndPlaceholders(@TempDir Path work) throws Exception {
        Path shop = Path.of(System.getProperty("driftwatch.projectDir", ".")).resolve("fixtures/shop");
        io.driftwatch.demo.DriftScenario clean = io.driftwatch.demo.DriftScenario.load(shop.resolve("drift/clean"));
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            clean.apply(db, shop.resolve("migrations"), java.util.Map.of("app_role", "shop_app"), work);
            ShadowServer s = TestPostgres.server();
            CliRun r = CliRun.of("audit", "--url", url(db.name()), "--user", s.user(), "--password", s.password(),
                    "--flyway-config", shop.resolve("flyway.toml").toString(), "--shadow", "url",
                    "--shadow-url", shadowUrl(), "--out", work.resolve("out").toString(), "--format", "json");
            assertEquals(0, r.exitCode(), r.all());
            assertTrue(r.out().contains("0 findings"), r.out());
            String json = Files.readString(work.resolve("out/report.json"));
            assertTrue(json.contains("\"scriptsReplayed\" : 19"), json);
            assertFalse(Files.exists(work.resolve("out/report.html")), "only the formats asked for");
        }
    }

    @Test
    void expectedSnapshotReplacesTheReplayAndBridgeIsWrittenNextToTheReports(@TempDir Path work) throws Exception {
        ShadowServer s = TestPostgres.server();
        Path snapshot = work.resolve("release.json");
        CliRun inspect = CliRun.of("inspect", url(migrated.name()), "--user", s.user(), "--password", s.password(),
                "--out", snapshot.toString());
        assertEquals(0, inspect.exitCode(), inspect.all());
        try (Connection c = s.connect(migrated.name()); Statement st = c.createStatement()) {
            st.execute("CREATE INDEX account_by_hand ON account (email, id)");
        }
        try {
            CliRun r = CliRun.of("audit", "--url", url(migrated.name()), "--user", s.user(), "--password", s.password(),
                    "--expected", "snapshot:" + snapshot, "--out", work.resolve("vs-snapshot").toString());
            assertEquals(1, r.exitCode(), r.all());
            assertTrue(r.out().contains("1 finding"), "only the hand-made index, no history check: " + r.out());
            assertTrue(r.out().contains("DW101 extra-index"), r.out());

            Path out = work.resolve("with-bridge");
            CliRun b = audit(out, "--bridge");
            assertEquals(1, b.exitCode(), b.all());
            Path bridge = out.resolve("V3__driftwatch_bridge.sql");
            assertTrue(b.out().contains("verified bridge: " + bridge), b.out());
            String sql = Files.readString(bridge);
            assertTrue(sql.contains("DROP INDEX CONCURRENTLY IF EXISTS public.account_by_hand;"), sql);
            assertTrue(Files.exists(out.resolve("V3__driftwatch_bridge.sql.conf")));
            assertTrue(Files.exists(out.resolve("report.json")));
        } finally {
            try (Connection c = s.connect(migrated.name()); Statement st = c.createStatement()) {
                st.execute("DROP INDEX account_by_hand");
            }
        }
    }

    @Test
    void expectedMustBeASnapshot(@TempDir Path out) {
        CliRun r = audit(out, "--expected", "migrations:db/sql");
        assertOneLineError(r, 2, "is not a snapshot");
        CliRun missing = audit(out, "--expected", out.resolve("nope.json").toString());
        assertOneLineError(missing, 2, "nope.json");
    }

    @Test
    void serverDownIsExitThree(@TempDir Path out) {
        CliRun r = CliRun.of("audit", "--url", "postgresql://auditor@127.0.0.1:1/shop", "--password", "hunter2secret",
                "--migrations", migrations.toString(), "--out", out.toString());
        assertOneLineError(r, 3, "cannot reach target postgresql://auditor@127.0.0.1:1/shop");
        assertFalse(r.all().contains("hunter2secret"));
        assertFalse(Files.exists(out.resolve("report.json")), "no report for a failed audit");
    }

    @Test
    void wrongPasswordIsExitThreeWithoutEchoingIt(@TempDir Path out) {
        CliRun r = CliRun.of("audit", "--url", url(migrated.name()), "--user", TestPostgres.server().user(),
                "--password", "wrong-hunter2", "--migrations", migrations.toString(), "--out", out.toString());
        assertOneLineError(r, 3, "password authentication failed");
        assertFalse(r.all().contains("wrong-hunter2"));
    }

    @Test
    void unknownDatabaseIsExitThree(@TempDir Path out) {
        ShadowServer s = TestPostgres.server();
        CliRun r = CliRun.of("audit", "--url", url("no_such_db"), "--user", s.user(), "--password", s.password(),
                "--migrations", migrations.toString(), "--out", out.toString());
        assertOneLineError(r, 3, "database \"no_such_db\" does not exist");
    }

    @Test
    void malformedUrlIsExitTwo(@TempDir Path out) {
        CliRun r = CliRun.of("audit", "--url", "mysql://root:pw@h/db", "--migrations", migrations.toString(),
                "--out", out.toString());
        assertOneLineError(r, 2, "not a PostgreSQL URL");
    }

    @Test
    void missingAndEmptyMigrationFoldersAreExitTwo(@TempDir Path dir) throws Exception {
        CliRun missing = audit(dir, "--migrations", dir.resolve("nope").toString());
        assertOneLineError(missing, 2, "does not exist");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        ShadowServer s = TestPostgres.server();
        CliRun r = CliRun.of("audit", "--url", url(migrated.name()), "--user", s.user(), "--password", s.password(),
                "--migrations", empty.toString(), "--out", dir.toString());
        assertOneLineError(r, 2, "no Flyway migrations");
    }

    @Test
    void unknownSchemaIsExitTwo(@TempDir Path out) {
        CliRun r = audit(out, "--schemas", "public,nosuchschema");
        assertOneLineError(r, 2, "schema \"nosuchschema\" exists neither in the database nor in the migrations");
    }

    @Test
    void missingVersionTableIsExitTwo(@TempDir Path out) throws Exception {
        try (ShadowDatabase bare = TestPostgres.newDatabase()) {
            ShadowServer s = TestPostgres.server();
            CliRun r = CliRun.of("audit", "--url", url(bare.name()), "--user", s.user(), "--password", s.password(),
                    "--migrations", migrations.toString(), "--shadow", "url", "--shadow-url", shadowUrl(),
                    "--out", out.toString());
            assertOneLineError(r, 2, "no Flyway history in schema");
        }
    }

    @Test
    void scriptThatFailsToReplayIsExitFourNamingTheFile(@TempDir Path dir) throws Exception {
        Path broken = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(broken.resolve("V1__account.sql"), V1);
        Files.writeString(broken.resolve("V2__account_email_idx.sql"), "CREATE INDEX x ON account (no_such_column);\n");
        ShadowServer s = TestPostgres.server();
        CliRun r = CliRun.of("audit", "--url", url(migrated.name()), "--user", s.user(), "--password", s.password(),
                "--migrations", broken.toString(), "--shadow", "url", "--shadow-url", shadowUrl(),
                "--out", dir.resolve("out").toString());
        assertOneLineError(r, 4, "V2__account_email_idx.sql");
        assertTrue(r.err().contains("no_such_column"), r.err());
    }

    @Test
    void shadowUrlPointingAtTheTargetIsRefused(@TempDir Path out) {
        ShadowServer s = TestPostgres.server();
        CliRun r = CliRun.of("audit", "--url", url(migrated.name()), "--user", s.user(), "--password", s.password(),
                "--migrations", migrations.toString(), "--shadow", "url",
                "--shadow-url", withCredentials(url(migrated.name())),
                "--out", out.toString());
        assertOneLineError(r, 2, "audited database");
    }

    @Test
    void badFlagsAreExitTwo() {
        CliRun r = CliRun.of("audit", "--fail-on", "sometimes", "--url", "postgresql://u@h/db", "--migrations", ".");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("--fail-on 'sometimes'"), r.err());
        assertEquals(2, CliRun.of("audit", "--no-such-flag").exitCode());
    }

    @Test
    void helpShowsExamplesAndExitCodes() {
        CliRun r = CliRun.of("audit", "--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("Examples:"), r.out());
        assertTrue(r.out().contains("--fail-on"), r.out());
        assertTrue(r.out().contains("3 database unreachable"), r.out());
        assertTrue(r.out().lines().allMatch(l -> l.length() <= 100), "help lines fit a terminal");
    }
}
