package io.driftwatch.postgres.gate;

import io.driftwatch.model.Identifiers;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** InFlightCheck against real sessions: a real Flyway run, a blocked CREATE INDEX, idle databases. */
class InFlightCheckTest {

    private static final String HISTORY = "flyway_schema_history";

    /** Flyway's default takes {@code pg_try_advisory_xact_lock}; with the transactional lock off, {@code pg_try_advisory_lock}. */
    @ParameterizedTest(name = "transactional lock {0}")
    @ValueSource(booleans = {true, false})
    void seesFlywaysLockWhileItMigratesAndNothingAfter(boolean transactionalLock, @TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("V1__slow.sql"), "SELECT pg_sleep(4);\n");
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect()) {
            ShadowServer s = db.server();
            assertEquals(List.of(), InFlightCheck.running(c, "public", HISTORY, List.of()));
            FluentConfiguration config = Flyway.configure()
                    .dataSource(s.jdbcUrl(db.name()), s.user(), s.password())
                    .locations("filesystem:" + dir);
            config.getConfigurationExtension(PostgreSQLConfigurationExtension.class).setTransactionalLock(transactionalLock);
            CompletableFuture<MigrateResult> run = CompletableFuture.supplyAsync(() -> config.load().migrate());
            List<String> seen = poll(() -> {
                if (run.isDone()) {
                    fail("Flyway finished before its lock was seen: " + run.handle((r, e) -> e == null ? r : e).join());
                }
                return InFlightCheck.running(c, "public", HISTORY, List.of());
            }, lines -> lines.stream().anyMatch(l -> l.startsWith("Flyway's lock")), 20_000);
            String line = seen.stream().filter(l -> l.startsWith("Flyway's lock")).findFirst().orElseThrow();
            assertTrue(line.matches("Flyway's lock on public\\.flyway_schema_history is held by pid \\d+"
                    + " \\(postgres, (application \"[^\"]+\", )?since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\)"), line);
            // the key is specific to the version table: another table name is not Flyway's lock
            assertTrue(InFlightCheck.running(c, "public", "other_history", List.of()).stream()
                    .noneMatch(l -> l.startsWith("Flyway's lock")));
            assertFalse(run.isDone(), "the migration sleeps 4 s; the lock must be seen while it runs");
            MigrateResult result = run.get(30, TimeUnit.SECONDS);
            assertTrue(result.success);
            assertEquals(1, result.migrationsExecuted);
            assertEquals(List.of(), InFlightCheck.running(c, "public", HISTORY, List.of()));
            assertTrue(c.getAutoCommit());
            assertFalse(c.isReadOnly());
        }
    }

    @Test
    void flywayLockKeyIsFlywaysFormula() {
        // LOCK_MAGIC_NUM of PostgreSQLAdvisoryLockTemplate: "Flyway" packed into a long
        long magic = (0x46L << 40) + (0x6CL << 32) + (0x79L << 24) + (0x77 << 16) + (0x61 << 8) + 0x79;
        assertEquals(magic, InFlightCheck.FLYWAY_LOCK_MAGIC);
        assertEquals(magic + "\"public\".\"flyway_schema_history\"".hashCode(),
                InFlightCheck.flywayLockKey("public", HISTORY));
        assertEquals(magic + "\"My \"\"App\"\"\".\"History\"".hashCode(), InFlightCheck.flywayLockKey("My \"App\"", "History"));
    }

    @Test
    void reportsACreateIndexBlockedBehindAnExclusiveLock() throws Exception {
        String schema = "Sales \"Q1\"";
        String table = "Order Lines";
        String rel = Identifiers.quote(schema) + "." + Identifiers.quote(table);
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect();
             Connection holder = db.connect(); Connection builder = db.connect()) {
            exec(c, "CREATE SCHEMA " + Identifiers.quote(schema) + "; CREATE TABLE " + rel + " (id int, note text)");
            int holderPid = pid(holder);
            int builderPid = pid(builder);
            holder.setAutoCommit(false);
            exec(holder, "LOCK TABLE " + rel + " IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<Void> build = CompletableFuture.runAsync(() -> {
                try {
                    exec(builder, "CREATE INDEX \"by id\" ON " + rel + " (id)");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                long t0 = System.nanoTime();
                List<String> lines = poll(() -> InFlightCheck.running(c, "public", HISTORY, List.of(schema)),
                        l -> l.size() == 2, 10_000);
                assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(8), "the check itself must not block");
                String shown = "\"Sales \"\"Q1\"\"\".\"Order Lines\"";
                assertTrue(lines.stream().anyMatch(l -> l.startsWith(
                        "AccessExclusiveLock on " + shown + " held by pid " + holderPid + " (postgres, ")), lines.toString());
                String ddl = lines.stream().filter(l -> l.startsWith("DDL in progress: pid " + builderPid + " "))
                        .findFirst().orElseThrow(() -> new AssertionError(lines.toString()));
                assertTrue(ddl.matches("DDL in progress: pid \\d+ \\(postgres, (application \"[^\"]+\", )?active for \\d+ (ms|s),"
                        + " waiting for ShareLock on \\Q" + shown + "\\E\\): CREATE INDEX \"by id\" ON \\Q" + rel + "\\E \\(id\\)"), ddl);
                assertTrue(lines.stream().anyMatch(l -> l.contains("idle in transaction for ")
                        && l.endsWith(": LOCK TABLE " + rel + " IN ACCESS EXCLUSIVE MODE")), lines.toString());
            } finally {
                holder.rollback();
                build.get(10, TimeUnit.SECONDS);
            }
            assertEquals(List.of(), InFlightCheck.running(c, "public", HISTORY, List.of(schema)));
        }
    }

    @Test
    void anIdleDatabaseWithReadersReportsNothing() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect();
             Connection reader = db.connect()) {
            exec(c, "CREATE TABLE t (id int); INSERT INTO t VALUES (1)");
            reader.setAutoCommit(false);
            exec(reader, "SELECT * FROM t"); // idle in transaction holding AccessShareLock: not a migration
            try {
                assertEquals(List.of(), InFlightCheck.running(c, "public", HISTORY, List.of()));
                assertEquals(List.of(), InFlightCheck.running(c, "public", HISTORY, List.of("public")));
            } finally {
                reader.rollback();
            }
        }
    }

    @Test
    void ddlOnASchemaOutsideTheAuditedOnesIsNotReported() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect();
             Connection holder = db.connect(); Connection builder = db.connect()) {
            exec(c, "CREATE SCHEMA other; CREATE TABLE other.t (id int); CREATE TABLE public.mine (id int)");
            holder.setAutoCommit(false);
            exec(holder, "LOCK TABLE other.t IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<Void> build = CompletableFuture.runAsync(() -> {
                try {
                    exec(builder, "CREATE INDEX ON other.t (id)");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                // the same sessions are reported when their schema is audited (so the test can fail) ...
                List<String> all = poll(() -> InFlightCheck.running(c, "public", HISTORY, List.of("other")),
                        l -> l.size() == 2, 10_000);
                assertTrue(all.stream().anyMatch(l -> l.startsWith("DDL in progress: ")), all.toString());
                assertEquals(2, InFlightCheck.running(c, "public", HISTORY, List.of()).size());
                // ... and not when only public is
                assertEquals(List.of(), InFlightCheck.running(c, "public", HISTORY, List.of("public")));
            } finally {
                holder.rollback();
                build.get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void queryExcerptIsOneMaskedLine() {
        assertEquals("ALTER ROLE app PASSWORD '***' VALID UNTIL 'infinity'",
                InFlightCheck.query("ALTER ROLE app\n  PASSWORD 'it''s secret'\tVALID UNTIL 'infinity'"));
        assertEquals("ALTER ROLE app PASSWORD '***'", InFlightCheck.query("ALTER ROLE app PASSWORD 'cut off by track_activity"));
        String longQuery = "ALTER TABLE t " + "ADD COLUMN c int, ".repeat(20);
        String q = InFlightCheck.query(longQuery);
        assertEquals(120, q.length());
        assertTrue(q.endsWith("..."));
        assertTrue(InFlightCheck.query("<insufficient privilege>").contains("pg_read_all_stats"));
    }

    private interface Check {
        List<String> run() throws SQLException;
    }

    private static List<String> poll(Check check, Predicate<List<String>> done, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        List<String> last = List.of();
        while (System.nanoTime() < deadline) {
            last = check.run();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        fail("not seen within " + timeoutMillis + " ms; last check: " + last);
        return last;
    }

    private static int pid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
