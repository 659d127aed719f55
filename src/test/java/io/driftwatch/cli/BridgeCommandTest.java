package io.driftwatch.cli;

import io.driftwatch.demo.DriftScenario;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code driftwatch bridge} end to end: the written file is verified, Flyway-named, idempotent, and
 * running it (the way psql would, statement by statement) makes the next audit clean.
 */
class BridgeCommandTest {

    static final Path SHOP = Path.of(System.getProperty("driftwatch.projectDir", ".")).resolve("fixtures/shop");

    static CliRun bridge(ShadowDatabase db, Path migrations, Path out, String... extra) {
        ShadowServer s = TestPostgres.server();
        String shadow = s.jdbcUrl("postgres") + "?user=" + s.user() + "&password=" + s.password();
        String[] base = {"bridge", "--url", s.jdbcUrl(db.name()), "--user", s.user(), "--password", s.password(),
                "--migrations", migrations.toString(), "--placeholder", "app_role=shop_app",
                "--shadow", "url", "--shadow-url", shadow, "--out", out.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    /** What a team does with the file: commit it next to the migrations and let Flyway run it. */
    static void flywayMigrate(ShadowDatabase db, Path migrations) {
        ShadowServer s = TestPostgres.server();
        Flyway flyway = Flyway.configure().dataSource(s.jdbcUrl(db.name()), s.user(), s.password())
                .locations("filesystem:" + migrations).placeholders(Map.of("app_role", "shop_app")).load();
        flyway.getConfigurationExtension(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
        flyway.migrate();
    }

    /** What a DBA does by hand: {@code psql -v ON_ERROR_STOP=1 -f FILE} (psql splits statements itself). */
    static void psql(ShadowDatabase db, Path file) throws Exception {
        ShadowServer s = TestPostgres.server();
        java.net.URI uri = java.net.URI.create(s.jdbcUrl(db.name()).substring("jdbc:".length()));
        String psql = Files.isExecutable(Path.of("/usr/bin/psql")) ? "/usr/bin/psql" : "psql";
        ProcessBuilder pb = new ProcessBuilder(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", uri.getHost(),
                "-p", String.valueOf(uri.getPort()), "-U", s.user(), "-d", db.name(), "-f", file.toString())
                .redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", s.password());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "psql -f " + file.getFileName() + " failed:\n" + output);
    }

    static void copyTree(Path from, Path to) throws Exception {
        try (var files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }

    @Test
    void helpWorksBesideTheBridgesOwnVersionOption() {
        for (String flag : new String[]{"--help", "-h"}) {
            CliRun help = CliRun.of("bridge", flag);
            assertEquals(0, help.exitCode(), help.all());
            assertTrue(help.out().contains("--version=VERSION"), help.out());
            assertTrue(help.out().contains("Examples:"), help.out());
        }
    }

    @Test
    void writesAVerifiedFlywayBridgeThatMakesTheNextAuditClean(@TempDir Path work) throws Exception {
        DriftScenario mixed = DriftScenario.load(SHOP.resolve("drift/demo-mixed"));
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            Path migrations = mixed.apply(db, SHOP.resolve("migrations"), Map.of("app_role", "shop_app"), work);
            Path out = Files.createDirectories(work.resolve("bridge"));
            CliRun r = bridge(db, migrations, out);
            assertEquals(0, r.exitCode(), r.all());
            Path file = out.resolve("V19__driftwatch_bridge.sql");
            assertTrue(Files.exists(file), r.all());
            String sql = Files.readString(file);
            assertTrue(sql.contains("-- Verified: Driftwatch ran this file, byte for byte, in a shadow database"), sql);
            assertTrue(sql.contains("-- DROP INDEX CONCURRENTLY") || sql.contains("DROP INDEX CONCURRENTLY"), sql);
            assertTrue(sql.contains("destructive: commented out"), "the hotfix column's drop is commented out: " + sql);
            assertTrue(Files.readString(out.resolve("V19__driftwatch_bridge.sql.conf")).contains("executeInTransaction=false"));
            assertFalse(sql.contains(TestPostgres.server().password()));

            Path withBridge = work.resolve("with-bridge");
            copyTree(migrations, withBridge);
            Files.copy(file, withBridge.resolve(file.getFileName().toString()));
            Files.copy(out.resolve("V19__driftwatch_bridge.sql.conf"), withBridge.resolve("V19__driftwatch_bridge.sql.conf"));
            psql(db, file);
            psql(db, file); // idempotent: a second run succeeds and changes nothing
            flywayMigrate(db, withBridge); // and Flyway runs it a third time, recording V19
            CliRun audit = CliRun.of("audit", "--url", TestPostgres.server().jdbcUrl(db.name()),
                    "--user", TestPostgres.server().user(), "--password", TestPostgres.server().password(),
                    "--migrations", withBridge.toString(), "--placeholder", "app_role=shop_app",
                    "--out", work.resolve("report").toString(), "--format", "json");
            // the extra column stays: its DROP was commented out (destructive)
            assertTrue(audit.out().contains("1 finding"), audit.out());
            assertTrue(audit.out().contains("DW107 extra-column"), audit.out());
        }
    }

    @Test
    void nothingToBridgeOnACleanDatabase(@TempDir Path work) throws Exception {
        DriftScenario clean = DriftScenario.load(SHOP.resolve("drift/clean"));
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            Path migrations = clean.apply(db, SHOP.resolve("migrations"), Map.of("app_role", "shop_app"), work);
            CliRun r = bridge(db, migrations, work);
            assertEquals(0, r.exitCode(), r.all());
            assertTrue(r.out().contains("no bridge needed"), r.out());
            try (var files = Files.list(work)) {
                assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".sql")));
            }
        }
    }

    @Test
    void plainFormatAndDestructiveOptIn(@TempDir Path work) throws Exception {
        DriftScenario hotfix = DriftScenario.load(SHOP.resolve("drift/hotfix-column"));
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            Path migrations = hotfix.apply(db, SHOP.resolve("migrations"), Map.of("app_role", "shop_app"), work);
            CliRun r = bridge(db, migrations, work.resolve("fix.sql"), "--format", "plain", "--allow-destructive");
            assertEquals(0, r.exitCode(), r.all());
            String sql = Files.readString(work.resolve("fix.sql"));
            assertTrue(sql.contains("DROP COLUMN IF EXISTS fraud_hold"), sql);
            assertTrue(sql.contains("DELETES_DATA"), sql);
            assertFalse(Files.exists(work.resolve("fix.sql.conf")));
        }
    }
}
