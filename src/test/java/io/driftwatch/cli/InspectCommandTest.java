package io.driftwatch.cli;

import io.driftwatch.demo.DriftScenario;
import io.driftwatch.diff.SchemaDiffer;
import io.driftwatch.model.SchemaFilter;
import io.driftwatch.postgres.PostgresCatalogReader;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.snapshot.Snapshot;
import io.driftwatch.snapshot.SnapshotCodec;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code driftwatch inspect} end to end on the shop fixture: snapshot → read → diff against the live
 * database gives zero changes, two runs give identical bytes, bad sources exit 2.
 */
class InspectCommandTest {

    static final Path SHOP = DiffCommandTest.SHOP;

    static ShadowDatabase shop;

    @BeforeAll
    static void migrate(@TempDir Path work) throws Exception {
        shop = TestPostgres.newDatabase();
        DriftScenario.load(SHOP.resolve("drift/clean"))
                .apply(shop, SHOP.resolve("migrations"), Map.of("app_role", "shop_app"), work);
    }

    @AfterAll
    static void drop() {
        shop.close();
    }

    static SchemaModel live() throws Exception {
        try (Connection c = shop.connect()) {
            return new PostgresCatalogReader(Duration.ofSeconds(5), Duration.ofSeconds(60))
                    .read(c, new SchemaFilter(List.of(), List.of(), null, "flyway_schema_history"));
        }
    }

    @Test
    void snapshotReadBackEqualsTheLiveModelAndDiffsToZero(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("shop.json");
        Instant before = Instant.now().minusSeconds(1);
        CliRun r = CliRun.of("inspect", DiffCommandTest.url(shop), "--out", file.toString());
        assertEquals(0, r.exitCode(), r.all());
        Snapshot snap = SnapshotCodec.readSnapshot(file);
        SchemaModel live = live();
        assertEquals(live, snap.model());
        assertEquals(List.of(), new SchemaDiffer().diff(SnapshotCodec.read(file), live));
        assertEquals(SnapshotCodec.contentHash(live), snap.contentHash());
        assertEquals(DiffCommandTest.display(shop), snap.source());
        assertNotNull(snap.createdAt());
        assertFalse(snap.createdAt().isBefore(before.minusSeconds(1)), snap.createdAt().toString());
        assertEquals(List.of("billing", "public"), live.schemas());
        assertEquals("snapshot: " + file + " (" + live.objectCount() + " objects in 2 schemas, "
                + snap.contentHash() + ")\n", r.out());
        assertFalse(Files.readString(file).contains(TestPostgres.server().password()));
    }

    @Test
    void twoRunsWithoutTimestampGiveIdenticalBytes(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        assertEquals(0, CliRun.of("inspect", DiffCommandTest.url(shop), "--out", a.toString(), "--no-timestamp").exitCode());
        assertEquals(0, CliRun.of("inspect", DiffCommandTest.url(shop), "--out", b.toString(), "--no-timestamp").exitCode());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertNull(SnapshotCodec.readSnapshot(a).createdAt());

        // to standard output, the same bytes
        CliRun stdout = CliRun.of("inspect", DiffCommandTest.url(shop), "--no-timestamp");
        assertEquals(0, stdout.exitCode(), stdout.all());
        assertEquals(Files.readString(a), stdout.out());

        // with timestamps, everything but createdAt is identical
        CliRun t1 = CliRun.of("inspect", DiffCommandTest.url(shop));
        CliRun t2 = CliRun.of("inspect", DiffCommandTest.url(shop));
        String noTime = "\"createdAt\" : null";
        assertEquals(stdout.out(), t1.out().replaceFirst("\"createdAt\" : \"[^\"]+\"", noTime));
        assertEquals(stdout.out(), t2.out().replaceFirst("\"createdAt\" : \"[^\"]+\"", noTime));
    }

    @Test
    void migrationsSnapshotEqualsTheLiveSnapshotsContent(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("v18.json");
        CliRun r = CliRun.of("inspect", "migrations:" + SHOP.resolve("migrations"), "--no-timestamp",
                "--flyway-config", SHOP.resolve("flyway.toml").toString(),
                "--shadow", "url", "--shadow-url", AuditCommandTest.shadowUrl(), "--out", file.toString());
        assertEquals(0, r.exitCode(), r.all());
        Snapshot snap = SnapshotCodec.readSnapshot(file);
        assertEquals("migrations:" + SHOP.resolve("migrations"), snap.source());
        assertEquals(SnapshotCodec.contentHash(live()), snap.contentHash());
    }

    @Test
    void badSourcesExitTwoWithTheListOfForms(@TempDir Path dir) throws Exception {
        String forms = "expected one of: jdbc:postgresql://host:port/db, postgresql://user@host:port/db, "
                + "migrations:DIR[@VERSION], snapshot:FILE.json (or any path ending in .json)";
        AuditCommandTest.assertOneLineError(CliRun.of("inspect", "shop"), 2,
                "driftwatch: SOURCE: unknown source 'shop' (a folder of migrations is written migrations:shop); " + forms);
        AuditCommandTest.assertOneLineError(CliRun.of("inspect", "mysql://root:hunter2@db/shop"), 2,
                "unknown source 'mysql://root:***@db/shop' (only PostgreSQL URLs are supported); " + forms);
        assertFalse(CliRun.of("inspect", "mysql://root:hunter2@db/shop").all().contains("hunter2"));
        Path shop = Path.of(System.getProperty("driftwatch.projectDir", ".")).resolve("fixtures/shop/migrations");
        AuditCommandTest.assertOneLineError(CliRun.of("inspect", "migrations:" + shop + "@next"), 2,
                "source migrations:" + shop + "@next: 'next' after @ is not a Flyway version like 16 or 2.1");

        Path future = dir.resolve("future.json");
        Files.writeString(future, SnapshotCodec.write(SchemaModel.empty()).replace("\"formatVersion\" : 2,",
                "\"formatVersion\" : 999,"));
        AuditCommandTest.assertOneLineError(CliRun.of("inspect", "snapshot:" + future), 2,
                "snapshot " + future + " has snapshot formatVersion 999; this driftwatch reads formatVersion 1 to 2 only");
        AuditCommandTest.assertOneLineError(CliRun.of("inspect", dir.resolve("missing.json").toString()), 2,
                "snapshot file " + dir.resolve("missing.json") + " does not exist");
    }

    @Test
    void aSnapshotCanBeReInspected(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.json");
        assertEquals(0, CliRun.of("inspect", DiffCommandTest.url(shop), "--out", a.toString(), "--no-timestamp").exitCode());
        CliRun again = CliRun.of("inspect", a.toString(), "--no-timestamp", "--schemas", "billing");
        assertEquals(0, again.exitCode(), again.all());
        SchemaModel billing = SnapshotCodec.read(again.out());
        assertEquals(List.of("billing"), billing.schemas());
        assertTrue(billing.tables().stream().allMatch(t -> t.schema().equals("billing")));
        assertFalse(billing.tables().isEmpty());
    }
}
