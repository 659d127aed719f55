package io.driftwatch.source;

import io.driftwatch.flyway.FlywayTool;
import io.driftwatch.postgres.PostgresDialect;
import io.driftwatch.base.AuditException;
import io.driftwatch.base.AuditListener;
import io.driftwatch.base.ExitCode;
import io.driftwatch.postgres.ConnectionSpec;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.model.Table;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowKind;
import io.driftwatch.dialect.ShadowOptions;
import io.driftwatch.snapshot.Snapshot;
import io.driftwatch.snapshot.SnapshotCodec;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one-call API the audit and the CLI use: parse a source string, load it. */
class SourceLoaderTest {

    static final PostgresDialect PG = PostgresDialect.INSTANCE;

    static final Path MIGRATIONS = Path.of(System.getProperty("driftwatch.projectDir", "."))
            .resolve("fixtures/shop/migrations");

    static SourceOptions options() {
        ShadowServer s = TestPostgres.server();
        ConnectionSpec shadow = ConnectionSpec.parse(s.jdbcUrl("postgres"), s.user(), s.password(), Map.of());
        return SourceOptions.defaults(PG, FlywayTool.folders(Map.of("app_role", "shop_app"), List.of(), null, null),
                        "flyway_schema_history").withShadow(new ShadowOptions(ShadowKind.URL, shadow, null, null));
    }

    @Test
    void migrationsUpToAVersionAndBackFromASnapshot(@TempDir Path dir) throws Exception {
        try (SourceLoader loader = new SourceLoader(options(), AuditListener.QUIET)) {
            SchemaModel v16 = loader.load(Source.parse("migrations:" + MIGRATIONS + "@16", PG));
            SchemaModel all = loader.load(Source.parse("migrations:" + MIGRATIONS, PG));
            Table customers16 = v16.tables().stream().filter(t -> t.name().equals("customers")).findFirst().orElseThrow();
            Table customers = all.tables().stream().filter(t -> t.name().equals("customers")).findFirst().orElseThrow();
            assertFalse(customers16.columns().stream().anyMatch(c -> c.name().equals("marketing_opt_in")));
            assertTrue(customers.columns().stream().anyMatch(c -> c.name().equals("marketing_opt_in")));
            assertEquals(all.views().size() - 1, v16.views().size());
            assertFalse(all.tables().stream().anyMatch(t -> t.name().equals("flyway_schema_history")));

            Path file = dir.resolve("all.json");
            SnapshotCodec.write(Snapshot.of(all, "migrations:" + MIGRATIONS, null), file);
            assertEquals(all, loader.load(Source.parse(file.toString(), PostgresDialect.INSTANCE)));
            assertEquals(all, SnapshotCodec.read(file));
        }
    }

    @Test
    void snapshotsAreScopedLikeLiveReads(@TempDir Path dir) throws Exception {
        SchemaModel all;
        try (SourceLoader loader = new SourceLoader(options(), AuditListener.QUIET)) {
            all = loader.load(Source.parse("migrations:" + MIGRATIONS, PG));
        }
        Path file = dir.resolve("all.json");
        Files.writeString(file, SnapshotCodec.write(all));
        SourceOptions billingOnly = options().withScope(List.of("billing"), List.of("billing.payments", "public.*.*_idx"));
        try (SourceLoader loader = new SourceLoader(billingOnly, AuditListener.QUIET)) {
            SchemaModel billing = loader.load(new Source.SnapshotFile(file));
            assertEquals(List.of("billing"), billing.schemas());
            assertTrue(billing.tables().stream().allMatch(t -> t.schema().equals("billing")));
            assertFalse(billing.tables().stream().anyMatch(t -> t.name().equals("payments")));
            assertTrue(billing.views().stream().allMatch(v -> v.schema().equals("billing")));
        }
    }

    @Test
    void errorsCarryTheirExitCodes(@TempDir Path dir) throws Exception {
        try (SourceLoader loader = new SourceLoader(options(), AuditListener.QUIET)) {
            AuditException noVersion = assertThrows(AuditException.class,
                    () -> loader.load(Source.parse("migrations:" + MIGRATIONS + "@16.5", PG)));
            assertEquals(ExitCode.USAGE, noVersion.exitCode());
            assertEquals("source migrations:" + MIGRATIONS + "@16.5: no migration has version 16.5 "
                    + "(versions 1 to 18 exist)", noVersion.getMessage());

            AuditException notAVersion = assertThrows(AuditException.class,
                    () -> loader.load(Source.parse("migrations:" + MIGRATIONS + "@latest", PG)));
            assertEquals(ExitCode.USAGE, notAVersion.exitCode());
            assertEquals("source migrations:" + MIGRATIONS + "@latest: 'latest' after @ is not a Flyway version like 16 "
                    + "or 2.1 (form: migrations:DIR[@VERSION])", notAVersion.getMessage());
            assertEquals(loader.load(Source.parse("migrations:" + MIGRATIONS + "@16", PG)),
                    loader.load(Source.parse("migrations:" + MIGRATIONS + "@V16.0", PG)));

            Path broken = dir.resolve("broken");
            Files.createDirectories(broken);
            Files.writeString(broken.resolve("V1__bad.sql"), "CREATE TABLE t (id int;\n");
            AuditException replay = assertThrows(AuditException.class,
                    () -> loader.load(Source.parse("migrations:" + broken, PG)));
            assertEquals(ExitCode.REPLAY_FAILED, replay.exitCode());
            assertTrue(replay.getMessage().startsWith("migrations:" + broken + ": V1__bad.sql failed to replay: "),
                    replay.getMessage());

            Path notJson = dir.resolve("x.json");
            Files.writeString(notJson, "hello");
            AuditException bad = assertThrows(AuditException.class, () -> loader.load(Source.parse(notJson.toString(), PostgresDialect.INSTANCE)));
            assertEquals(ExitCode.USAGE, bad.exitCode());
            assertTrue(bad.getMessage().startsWith("snapshot " + notJson + " is not valid JSON: "), bad.getMessage());
        }
    }

    @Test
    void serverMajorIsReadFromTheVersionText() {
        assertEquals(15, SourceLoader.major("15.18 (Debian 15.18-0+deb12u1)"));
        assertEquals(17, SourceLoader.major("17devel"));
        assertEquals(null, SourceLoader.major(null));
        assertEquals(null, SourceLoader.major("devel"));
    }
}
