package io.driftwatch.cli;

import io.driftwatch.demo.DriftScenario;
import io.driftwatch.flyway.FlywayConfigFile;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code driftwatch stamp} through the CLI on real PostgreSQL: files written, exit codes, messages. */
class StampCommandTest {

    static final Path SHOP = Path.of(System.getProperty("driftwatch.projectDir", ".")).resolve("fixtures/shop");

    static Path scenario(ShadowDatabase db, String name, Path work) throws Exception {
        return DriftScenario.load(SHOP.resolve("drift").resolve(name)).apply(db, SHOP.resolve("migrations"),
                new FlywayConfigFile().read(SHOP.resolve("flyway.toml")).placeholders(), work);
    }

    static CliRun stamp(ShadowDatabase db, Path migrations, Path out, String... extra) {
        ShadowServer s = TestPostgres.server();
        String[] base = {"stamp", "--url", s.jdbcUrl(db.name()), "--user", s.user(), "--password", s.password(),
                "--migrations", migrations.toString(), "--placeholder", "app_role=shop_app", "--shadow", "url",
                "--shadow-url", AuditCommandTest.shadowUrl(), "--out", out.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    static void execute(ShadowDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static void noPassword(CliRun r) {
        assertFalse(r.all().contains(TestPostgres.server().password()), "password leaked: " + r.all());
    }

    @Test
    void editedScriptGetsAVerifiedStampThatMakesTheAuditClean(@TempDir Path work) throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            Path migrations = scenario(db, "edited-after-apply", work);
            Path out = work.resolve("stamp.sql");
            CliRun r = stamp(db, migrations, out);
            assertEquals(0, r.exitCode(), r.all());
            noPassword(r);
            String sql = Files.readString(out, StandardCharsets.UTF_8);
            assertTrue(sql.startsWith("-- driftwatch stamp: makes public.flyway_schema_history agree"), sql);
            assertTrue(r.out().contains("stamp for public.flyway_schema_history (1 change, guard hash "), r.out());
            assertTrue(r.out().contains("verified on a copy of public.flyway_schema_history: history check afterwards:"
                    + " 0 findings; a second run is refused by the guard\nwrote " + out + "\n"), r.out());
            assertFalse(Files.exists(work.resolve("stamp.UNVERIFIED.sql")));

            execute(db, sql);
            CliRun again = stamp(db, migrations, out);
            assertEquals(0, again.exitCode(), again.all());
            assertEquals("public.flyway_schema_history: history already agrees with the scripts; nothing to stamp\n",
                    again.out());
            assertFalse(Files.exists(out), "no file when there is nothing to stamp");
        }
    }

    @Test
    void schemaDriftIsRefusedWithOneLineNamingTheBridge(@TempDir Path work) throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            Path migrations = scenario(db, "hand-added-index", work);
            Path out = work.resolve("stamp.sql");
            CliRun r = stamp(db, migrations, out);
            assertEquals(1, r.exitCode(), r.all());
            assertEquals("driftwatch: schema does not match the migrations (1 difference, e.g. DW101"
                    + " public.orders.orders_status_placed_at_idx); a stamp cannot fix schema drift: run driftwatch"
                    + " bridge", r.err().strip().lines().reduce((a, b) -> b).orElseThrow());
            assertFalse(r.all().contains("\tat "), r.all());
            assertFalse(Files.exists(out));
            noPassword(r);
        }
    }

    @Test
    void aStampThatDoesNotVerifyIsWrittenAsUnverifiedAndExitsOne(@TempDir Path work) throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            Path migrations = scenario(db, "pending-migrations", work);
            execute(db, Files.readString(SHOP.resolve("migrations/V17__customer_order_stats.sql")));
            Path out = work.resolve("stamp.sql");
            String tooLong = "x".repeat(101); // installed_by is varchar(100): the insert fails on the copy
            CliRun r = stamp(db, migrations, out, "--installed-by", tooLong);
            assertEquals(1, r.exitCode(), r.all());
            assertFalse(Files.exists(out));
            Path unverified = work.resolve("stamp.UNVERIFIED.sql");
            String sql = Files.readString(unverified, StandardCharsets.UTF_8);
            String problem = "the stamp failed on a copy of the version table: value too long for type character"
                    + " varying(100)";
            assertTrue(sql.startsWith("-- UNVERIFIED: applied to a copy of the version table, this stamp did not"
                    + " leave it agreeing with the scripts.\n--   problem: " + problem + "\n"), sql);
            assertTrue(r.err().contains("driftwatch: the stamp did not verify; written as " + unverified
                    + ", do not apply it as is\n  problem: " + problem + "\n"), r.err());
        }
    }

    @Test
    void noVerifyWarnsLoudly(@TempDir Path work) throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            Path migrations = scenario(db, "failed-history-row", work);
            Path out = work.resolve("fix.sql");
            CliRun r = stamp(db, migrations, out, "--no-verify");
            assertEquals(0, r.exitCode(), r.all());
            assertTrue(r.err().contains("warning: --no-verify: the stamp is NOT checked on a copy of the version"
                    + " table; read it before you apply it\n"), r.err());
            assertTrue(r.err().contains("warning: NOT VERIFIED (--no-verify): " + out + "\n"), r.err());
            String sql = Files.readString(out, StandardCharsets.UTF_8);
            assertTrue(sql.startsWith("-- NOT VERIFIED: written with --no-verify\n-- driftwatch stamp:"), sql);
            assertTrue(sql.contains("WHERE installed_rank = 20 AND NOT success;"), sql);
        }
    }

    @Test
    void baselineOnANonEmptyTableIsAUsageError(@TempDir Path work) throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            Path migrations = scenario(db, "clean", work);
            CliRun r = stamp(db, migrations, work.resolve("stamp.sql"), "--baseline", "3");
            assertEquals(2, r.exitCode(), r.all());
            assertEquals("driftwatch: --baseline needs an empty version table, but public.flyway_schema_history"
                    + " has 19 rows", r.err().strip().lines().reduce((a, b) -> b).orElseThrow());
        }
    }
}
