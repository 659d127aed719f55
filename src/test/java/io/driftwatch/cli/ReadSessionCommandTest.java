package io.driftwatch.cli;

import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Everything {@code audit} and {@code inspect} read from the target runs inside the read-only
 * transaction: proven on the server's own counters. {@code pg_stat_database.xact_commit} of the
 * audited database counts every transaction that committed there; a statement run in auto-commit
 * mode (outside the read session) is one. The read session and its workers always roll back, so a
 * run that reads only inside them commits nothing beyond what every new session's start-up commits
 * on the server (calibrated here with a bare connect, times {@code pg_stat_database.sessions}).
 */
class ReadSessionCommandTest {

    static ShadowDatabase migrated;
    static Path migrations;

    @BeforeAll
    static void migrate(@TempDir Path dir) throws Exception {
        migrations = Files.createDirectories(dir.resolve("sql"));
        Files.writeString(migrations.resolve("V1__account.sql"), AuditCommandTest.V1);
        Files.writeString(migrations.resolve("V2__account_email_idx.sql"), AuditCommandTest.V2);
        migrated = TestPostgres.newDatabase();
        ShadowServer s = TestPostgres.server();
        Flyway.configure().dataSource(s.jdbcUrl(migrated.name()), s.user(), s.password())
                .locations("filesystem:" + migrations).load().migrate();
    }

    @AfterAll
    static void drop() {
        migrated.close();
    }

    /** (commits, rollbacks, sessions) of the audited database once no session is connected to it. */
    static long[] counters() throws Exception {
        ShadowServer s = TestPostgres.server();
        try (Connection c = s.connect("postgres")) {
            long deadline = System.nanoTime() + 15_000_000_000L;
            long[] last = null;
            while (true) {
                long[] now = read(c);
                // settled: nobody connected and the counters did not move for 300 ms
                if (now[2] == 0 && last != null && now[0] == last[0] && now[1] == last[1] && now[3] == last[3]) {
                    return new long[] {now[0], now[1], now[3]};
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("statistics of " + migrated.name() + " did not settle");
                }
                last = now;
                Thread.sleep(300);
            }
        }
    }

    private static long[] read(Connection c) throws SQLException {
        try (PreparedStatement clear = c.prepareStatement("SELECT pg_catalog.pg_stat_clear_snapshot()")) {
            clear.execute();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT d.xact_commit, d.xact_rollback,"
                + " (SELECT count(*) FROM pg_catalog.pg_stat_activity a WHERE a.datname = d.datname), d.sessions"
                + " FROM pg_catalog.pg_stat_database d WHERE d.datname = ?")) {
            ps.setString(1, migrated.name());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
            }
        }
    }

    /** Commits one session's start-up and close add on the server (no statement sent), via ConnectionSpec. */
    static long commitsPerSession() throws Exception {
        ShadowServer s = TestPostgres.server();
        long[] before = counters();
        var spec = io.driftwatch.postgres.ConnectionSpec.parse(s.jdbcUrl(migrated.name()), s.user(), s.password(),
                java.util.Map.of());
        for (int i = 0; i < 2; i++) {
            spec.connect().close();
        }
        long[] after = counters();
        assertEquals(2, after[2] - before[2], "two sessions");
        assertEquals(0, (after[0] - before[0]) % 2);
        return (after[0] - before[0]) / 2;
    }

    /** Asserts the run committed nothing but its sessions' start-ups, and rolled its reads back. */
    static void assertOnlyStartupCommits(long perSession, long[] before, long[] after) {
        long sessions = after[2] - before[2];
        assertTrue(sessions >= 1, "sessions: " + sessions);
        assertTrue(after[1] - before[1] >= 1, "the read session rolled back: " + (after[1] - before[1]));
        assertEquals(sessions * perSession, after[0] - before[0], "transactions committed on the target by "
                + sessions + " sessions (each commits " + perSession + " at start-up): more means reads outside the"
                + " read-only transaction");
    }

    @Test
    void auditCommitsNoTransactionOnTheTarget(@TempDir Path out) throws Exception {
        ShadowServer s = TestPostgres.server();
        long perSession = commitsPerSession();
        long[] before = counters();
        CliRun r = CliRun.of("audit", "--url", s.jdbcUrl(migrated.name()), "--user", s.user(), "--password",
                s.password(), "--migrations", migrations.toString(), "--shadow", "url", "--shadow-url",
                AuditCommandTest.shadowUrl(), "--no-cache", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.all());
        assertOnlyStartupCommits(perSession, before, counters());
    }

    @Test
    void inspectCommitsNoTransactionOnTheTarget(@TempDir Path out) throws Exception {
        ShadowServer s = TestPostgres.server();
        long perSession = commitsPerSession();
        long[] before = counters();
        CliRun r = CliRun.of("inspect", AuditCommandTest.withCredentials(s.jdbcUrl(migrated.name())),
                "--out", out.resolve("snap.json").toString());
        assertEquals(0, r.exitCode(), r.all());
        assertOnlyStartupCommits(perSession, before, counters());
    }

    @Test
    void aStatementTimeoutIsNamedAsSuchNotAsUnreachable(@TempDir Path out) {
        ShadowServer s = TestPostgres.server();
        CliRun r = CliRun.of("audit", "--url", s.jdbcUrl(migrated.name()), "--user", s.user(), "--password",
                s.password(), "--migrations", migrations.toString(), "--shadow", "url", "--shadow-url",
                AuditCommandTest.shadowUrl(), "--no-cache", "--statement-timeout", "1ms", "--out", out.toString());
        assertEquals(3, r.exitCode(), r.all());
        String line = r.err().strip();
        assertEquals(1, line.lines().count(), r.err());
        assertTrue(line.startsWith("driftwatch: "), line);
        assertTrue(line.endsWith(": a statement ran longer than --statement-timeout (1 ms) and was canceled by"
                + " the server; raise --statement-timeout"), line);
        assertFalse(line.contains("cannot reach") || line.contains("unreachable"), line);
        assertFalse(Files.exists(out.resolve("report.json")));

        CliRun inspect = CliRun.of("inspect", AuditCommandTest.withCredentials(s.jdbcUrl(migrated.name())),
                "--statement-timeout", "1ms");
        assertEquals(3, inspect.exitCode(), inspect.all());
        assertTrue(inspect.err().strip().endsWith("--statement-timeout (1 ms) and was canceled by the server;"
                + " raise --statement-timeout"), inspect.err());
    }

    @Test
    void zeroTimeoutsAreRefusedAsUsage() {
        CliRun r = CliRun.of("inspect", "postgresql://u@127.0.0.1:1/db", "--statement-timeout", "0s");
        assertEquals(2, r.exitCode(), r.all());
        assertEquals("driftwatch: --statement-timeout must be more than 0 (0 would mean no limit)", r.err().strip());
        CliRun c = CliRun.of("inspect", "postgresql://u@127.0.0.1:1/db", "--connect-timeout", "0");
        assertEquals(2, c.exitCode(), c.all());
    }
}
