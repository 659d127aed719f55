package io.driftwatch.cli;

import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, bad input through the CLI: a symbolic link loop and a Latin-1 script in the migrations
 * folder, a version table missing a column (exit 2, one line each), and a version table row Flyway
 * cannot read (exit 1: a DW211 finding naming the row, the schema not compared, no bridge or stamp).
 */
class InputCommandTest {

    /** @return a fresh database migrated with V1 and V2 of {@link AuditCommandTest}, and its migrations folder */
    static ShadowDatabase migrated(Path migrations) throws Exception {
        Files.createDirectories(migrations);
        Files.writeString(migrations.resolve("V1__account.sql"), AuditCommandTest.V1, StandardCharsets.UTF_8);
        Files.writeString(migrations.resolve("V2__account_email_idx.sql"), AuditCommandTest.V2, StandardCharsets.UTF_8);
        ShadowDatabase db = TestPostgres.newDatabase();
        ShadowServer s = TestPostgres.server();
        Flyway.configure().dataSource(s.jdbcUrl(db.name()), s.user(), s.password())
                .locations("filesystem:" + migrations).load().migrate();
        return db;
    }

    static CliRun run(String command, ShadowDatabase db, Path migrations, Path out, String... extra) {
        ShadowServer s = TestPostgres.server();
        List<String> a = new ArrayList<>(List.of(command, "--url", s.jdbcUrl(db.name()), "--user", s.user(),
                "--password", s.password(), "--migrations", migrations.toString(), "--shadow", "url",
                "--shadow-url", AuditCommandTest.withCredentials(s.jdbcUrl("postgres")), "--no-cache",
                "--out", out.toString()));
        a.addAll(List.of(extra));
        return CliRun.of(a.toArray(String[]::new));
    }

    static void sql(ShadowDatabase db, String statement) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    /** issue 14: two minutes, then OutOfMemoryError and exit 1 (the drift code) */
    @Test
    @Timeout(60)
    void symbolicLinkLoopIsExitTwoInOneLine(@TempDir Path dir) throws Exception {
        Path migrations = dir.resolve("sql");
        try (ShadowDatabase db = migrated(migrations)) {
            Files.createDirectories(migrations.resolve("a"));
            Files.createSymbolicLink(migrations.resolve("a/b"), Path.of(".."));
            Files.createSymbolicLink(migrations.resolve("a/c"), Path.of(".."));
            CliRun r = run("audit", db, migrations, dir.resolve("out"));
            AuditCommandTest.assertOneLineError(r, 2, "symbolic link loop in migrations folder " + migrations
                    + ": a/b -> ");
            assertFalse(Files.exists(dir.resolve("out/report.json")));
        }
    }

    /** issue 14: "Unable to calculate checksum of V3__prices.sql" with no cause */
    @Test
    void latin1ScriptIsExitTwoNamingFileAndByte(@TempDir Path dir) throws Exception {
        Path migrations = dir.resolve("sql");
        try (ShadowDatabase db = migrated(migrations)) {
            Files.write(migrations.resolve("V3__prices.sql"), "-- pr\u00e9\nSELECT 1;\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            CliRun r = run("audit", db, migrations, dir.resolve("out"));
            AuditCommandTest.assertOneLineError(r, 2, "migration V3__prices.sql in " + migrations
                    + " is not valid UTF-8 (byte 0xE9 at offset 5, line 1)");
        }
    }

    /** issue 14: reported as "unreachable" (exit 3) */
    @Test
    void versionTableMissingAColumnIsExitTwoNamingIt(@TempDir Path dir) throws Exception {
        Path migrations = dir.resolve("sql");
        try (ShadowDatabase db = migrated(migrations)) {
            sql(db, "ALTER TABLE flyway_schema_history DROP COLUMN checksum");
            CliRun r = run("audit", db, migrations, dir.resolve("out"));
            AuditCommandTest.assertOneLineError(r, 2, "version table public.flyway_schema_history is not a Flyway"
                    + " version table: it has no column checksum (Flyway's has installed_rank, version,");
        }
    }

    /** issue 14: exit 4 "V2__account_email_idx.sql failed to replay: relation account does not exist" */
    @Test
    void rowFlywayCannotReadIsAFindingAndTheSchemaIsNotCompared(@TempDir Path dir) throws Exception {
        Path migrations = dir.resolve("sql");
        Path out = dir.resolve("out");
        try (ShadowDatabase db = migrated(migrations)) {
            sql(db, "UPDATE flyway_schema_history SET type = 'BOGUS' WHERE version = '1'");
            CliRun r = run("audit", db, migrations, out, "--bridge");
            assertEquals(1, r.exitCode(), r.all());
            assertTrue(r.out().contains("DW211 invalid-history-row  V1  V1: version table row installed_rank 1,"
                    + " column type: 'BOGUS' is not a Flyway migration type"), r.out());
            assertTrue(r.err().contains("schema not compared: version table row installed_rank 1, column type:"),
                    r.err());
            assertTrue(r.out().contains("bridge: not written: the schema was not compared"), r.out());
            assertFalse(r.all().contains("failed to replay"), r.all());
            String json = Files.readString(out.resolve("report.json"));
            assertTrue(json.contains("\"shadow\" : \"none (schema not compared: version table row installed_rank 1"),
                    json);
            assertTrue(json.contains("\"state\" : \"invalid\""), json);
            assertTrue(json.contains("\"notCompared\" : \"version table row installed_rank 1, column type:"), json);

            // waiving the row does not make a run that compared nothing pass
            Path config = dir.resolve("driftwatch.yaml");
            Files.writeString(config, "waivers:\n  - rule: DW211\n    object: V1\n    reason: fixing it this week\n");
            CliRun waived = run("audit", db, migrations, out, "--config", config.toString());
            assertEquals(1, waived.exitCode(), waived.all());
            assertTrue(Files.readString(out.resolve("report.json")).contains("\"status\" : \"drift\""));

            CliRun bridge = run("bridge", db, migrations, dir.resolve("bridge.sql"), "--format", "plain");
            AuditCommandTest.assertOneLineError(bridge, 1, "no bridge: version table row installed_rank 1,");
            CliRun stamp = run("stamp", db, migrations, dir.resolve("stamp.sql"));
            AuditCommandTest.assertOneLineError(stamp, 1, "no stamp: version table row installed_rank 1,");
            assertFalse(Files.exists(dir.resolve("stamp.sql")));
        }
    }
}
