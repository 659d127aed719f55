package io.driftwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.flyway.QuietFlywayLogCreator;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code driftwatch gate} through the CLI: exit codes, console lines, reports, {@code --wait} against
 * a server that never comes, and a held Flyway lock.
 */
class GateCommandTest {

    static final Path GATE = Path.of(System.getProperty("driftwatch.projectDir", ".")).resolve("fixtures/gate");

    private static String url(ShadowDatabase db) {
        return TestPostgres.server().jdbcUrl(db.name());
    }

    private static void migrate(ShadowDatabase db, Path... locations) {
        ShadowServer s = TestPostgres.server();
        String[] locs = new String[locations.length];
        for (int i = 0; i < locations.length; i++) {
            locs[i] = "filesystem:" + locations[i].toAbsolutePath();
        }
        Flyway.configure(GateCommandTest.class.getClassLoader()).loggers(QuietFlywayLogCreator.class.getName())
                .dataSource(s.jdbcUrl(db.name()), s.user(), s.password()).locations(locs).load().migrate();
    }

    private static String shadowUrl() {
        return AuditCommandTest.withCredentials(TestPostgres.server().jdbcUrl("postgres"));
    }

    @Test
    void driftThatBreaksAPendingMigrationFailsTheGateAndSaysWhy(@TempDir Path out) throws Exception {
        Path dir = GATE.resolve("drift-breaks-migration");
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            migrate(db, GATE.resolve("base"));
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute(Files.readString(dir.resolve("setup.sql")));
            }
            ShadowServer server = TestPostgres.server();
            CliRun run = CliRun.of("gate", "--url", url(db), "--user", server.user(), "--password", server.password(),
                    "-m", GATE.resolve("base").toString(), "-m", dir.resolve("pending").toString(),
                    "--shadow-url", shadowUrl(), "--out", out.toString(), "--no-color");
            assertEquals(1, run.exitCode(), run.err() + run.out());
            assertTrue(run.out().contains("FAILED  V10__order_status_index.sql"), run.out());
            assertTrue(run.out().contains("relation \"orders_status_idx\" already exists"), run.out());
            assertTrue(run.out().contains("drift breaks it: DW101 extra-index public.orders.orders_status_idx"),
                    run.out());
            assertTrue(run.out().contains("next: "), run.out());

            JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
            JsonNode step = json.path("rehearsal").path("migrations").get(0);
            assertEquals("failed", step.path("outcome").asText());
            assertTrue(step.path("failure").path("causedByDrift").asBoolean());
            assertEquals(2, step.path("failure").path("line").asInt(), "the index is on line 2 of V10");
            assertTrue(step.path("failure").path("statement").asText().startsWith("CREATE INDEX orders_status_idx"));
            String html = Files.readString(out.resolve("report.html"));
            assertTrue(html.contains("Rehearsal of the pending migrations"));
            assertTrue(html.contains("Drift breaks it"));
        }
    }

    @Test
    void aCleanGatePassesAndListsWhatEachMigrationDid(@TempDir Path out) throws Exception {
        Path dir = GATE.resolve("clean");
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            migrate(db, GATE.resolve("base"));
            ShadowServer server = TestPostgres.server();
            CliRun run = CliRun.of("gate", "--url", url(db), "--user", server.user(), "--password", server.password(),
                    "-m", GATE.resolve("base").toString(), "-m", dir.resolve("pending").toString(),
                    "--shadow-url", shadowUrl(), "--out", out.toString(), "--no-color");
            assertEquals(0, run.exitCode(), run.err() + run.out());
            assertTrue(run.out().contains("applied V10__customer_note.sql"), run.out());
            assertTrue(run.out().contains("applied R__order_totals.sql"), run.out());
            JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
            JsonNode changes = json.path("rehearsal").path("migrations").get(0).path("changes");
            assertEquals("[\"AddTable public.coupons\",\"AddColumn public.customers.note\"]", changes.toString());
        }
    }

    @Test
    void waitGivesUpOnAServerThatNeverStartsWithExit3(@TempDir Path out) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        CliRun run = CliRun.of("gate", "--url", "postgresql://deployer:s3cret-pw@127.0.0.1:" + port + "/shop",
                "-m", GATE.resolve("base").toString(), "--wait", "3s", "--out", out.toString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(3, run.exitCode(), run.err());
        assertTrue(seconds >= 3 && seconds < 10, "gave up after " + seconds + " s");
        assertTrue(run.err().contains("waiting for"), run.err());
        assertTrue(run.err().contains("not ready after"), run.err());
        assertFalse(run.err().contains("s3cret-pw") || run.out().contains("s3cret-pw"), "password leaked");
        assertFalse(Files.exists(out.resolve("report.json")), "no report from a gate that did not run");
    }

    @Test
    void aHeldFlywayLockStopsTheGateWithExit5(@TempDir Path out, @TempDir Path slow) throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            migrate(db, GATE.resolve("base"));
            Files.writeString(slow.resolve("V5__slow.sql"), "SELECT pg_sleep(6);\n");
            CompletableFuture<Void> deploy = CompletableFuture.runAsync(() ->
                    migrate(db, GATE.resolve("base"), slow));
            try {
                ShadowServer server = TestPostgres.server();
                CliRun run = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (System.nanoTime() < deadline) {
                    run = CliRun.of("gate", "--url", url(db), "--user", server.user(), "--password", server.password(),
                            "-m", GATE.resolve("base").toString(), "--shadow-url", shadowUrl(),
                            "--out", out.toString(), "--quiet");
                    if (run.exitCode() == 5) {
                        break;
                    }
                    Thread.sleep(200);
                }
                assertEquals(5, run.exitCode(), run.err() + run.out());
                assertTrue(run.err().contains("another migration is running"), run.err());
                assertTrue(run.err().contains("--allow-concurrent"), run.err());
            } finally {
                deploy.get(30, TimeUnit.SECONDS);
            }
        }
    }
}
