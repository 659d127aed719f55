package io.driftwatch.postgres.gate;

import io.driftwatch.base.AuditException;
import io.driftwatch.base.ExitCode;
import io.driftwatch.postgres.ConnectionSpec;
import io.driftwatch.model.Identifiers;
import io.driftwatch.postgres.shadow.LatePostgres;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Readiness against real servers: one that starts late, one that never starts, one that refuses the login. */
class ReadinessTest {

    @Test
    void waitsForAServerThatStartsLateOnItsPort() throws Exception {
        int port = freePort();
        String password = "late-Pw-" + System.nanoTime();
        ConnectionSpec spec = new ConnectionSpec("127.0.0.1", port, "postgres", "postgres", password, Map.of());
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        CompletableFuture<Connection> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return Readiness.await(spec, Duration.ofSeconds(60), lines::add);
            } catch (AuditException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        Thread.sleep(3_000);
        assertFalse(waiting.isDone(), "await returned before any server existed: " + lines);
        try (ShadowServer server = LatePostgres.startOn(port, password)) {
            long ready = System.nanoTime();
            try (Connection c = waiting.get(30, TimeUnit.SECONDS);
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT current_setting('port')")) {
                long returned = System.nanoTime();
                assertTrue(rs.next());
                assertEquals(String.valueOf(port), rs.getString(1));
                // backoff is capped at 5 s: at most one sleep plus one attempt after the server is ready
                assertTrue(returned - ready < TimeUnit.SECONDS.toNanos(7),
                        "returned " + (returned - ready) / 1_000_000 + " ms after the server was ready");
                assertTrue(returned - t0 >= TimeUnit.SECONDS.toNanos(3));
            }
            List<String> snapshot = List.copyOf(lines);
            assertTrue(snapshot.size() >= 4, "expected at least 3 failures then success: " + snapshot);
            String display = "postgresql://postgres@127.0.0.1:" + port + "/postgres";
            for (int i = 0; i < snapshot.size() - 1; i++) {
                String line = snapshot.get(i);
                assertTrue(line.startsWith("waiting for " + display + ": attempt " + (i + 1) + " failed: "), line);
                assertTrue(line.matches(".*\\(SQLState (08001|08006|57P03)\\); retrying in \\d+\\.\\d s"), line);
            }
            assertTrue(snapshot.get(0).contains("Connection refused"), snapshot.get(0));
            String last = snapshot.get(snapshot.size() - 1);
            assertTrue(last.matches("database \\Q" + display + "\\E ready after " + snapshot.size()
                    + " attempts \\(\\d+\\.\\d s\\)"), last);
            snapshot.forEach(l -> assertFalse(l.contains(password) || l.contains("\n"), l));
            server.description(); // keep the server referenced until here
        }
    }

    @Test
    void givesUpAfterTheWaitWithTheLastErrorAndNoPassword() throws Exception {
        int port = freePort();
        String password = "Sup3r-S3cret-pw";
        ConnectionSpec spec = ConnectionSpec.parse(
                "postgresql://app:" + password + "@127.0.0.1:" + port + "/shop", null, null, Map.of());
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        AuditException e = assertThrows(AuditException.class,
                () -> Readiness.await(spec, Duration.ofSeconds(3), lines::add));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(ExitCode.UNREACHABLE, e.exitCode());
        assertEquals(3, e.exitCode().code());
        assertTrue(millis >= 3_000 && millis < 6_000, "gave up after " + millis + " ms");
        String display = "postgresql://app@127.0.0.1:" + port + "/shop";
        assertTrue(e.getMessage().startsWith("database " + display + " not ready after "), e.getMessage());
        assertElapsed(e.getMessage(), millis);
        assertTrue(e.getMessage().contains(" attempts, --wait 3 s): Connection refused (SQLState 08001)"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        // attempts at 0, 0.5, 1.5 and 3.0 s: every retried one announced, backoff doubling
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).endsWith("; retrying in 0.5 s"), lines.get(0));
        assertTrue(lines.get(1).endsWith("; retrying in 1.0 s"), lines.get(1));
        assertTrue(lines.get(2).matches(".*; retrying in 1\\.[45] s"), lines.get(2)); // capped to the deadline
        assertTrue(e.getMessage().contains("(4 attempts, --wait 3 s)"), e.getMessage());
        for (String l : lines) {
            assertFalse(l.contains(password), l);
            assertTrue(l.contains(display), l);
        }
        assertFalse(e.getMessage().contains(password));
    }

    @Test
    void zeroWaitMeansOneAttempt() throws Exception {
        int port = freePort();
        ConnectionSpec spec = new ConnectionSpec("127.0.0.1", port, "shop", "app", null, Map.of());
        List<String> lines = new ArrayList<>();
        AuditException e = assertThrows(AuditException.class, () -> Readiness.await(spec, Duration.ZERO, lines::add));
        assertTrue(e.getMessage().matches(".* not ready after \\d+\\.\\d s \\(1 attempt, --wait 0 s\\): .*"), e.getMessage());
        assertTrue(lines.isEmpty(), lines.toString());
    }

    @Test
    void anAttemptAgainstAServerThatNeverAnswersEndsAtTheDeadline() throws Exception {
        // accepts TCP and then says nothing: without a login timeout the driver would wait forever
        try (ServerSocket mute = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            List<Socket> accepted = Collections.synchronizedList(new ArrayList<>());
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(mute.accept());
                    }
                } catch (IOException closed) {
                    // test over
                }
            }, "mute-server");
            acceptor.setDaemon(true);
            acceptor.start();
            ConnectionSpec spec = new ConnectionSpec("127.0.0.1", mute.getLocalPort(), "shop", "app", "pw-never-used", Map.of());
            long t0 = System.nanoTime();
            AuditException e = assertThrows(AuditException.class,
                    () -> Readiness.await(spec, Duration.ofSeconds(2), l -> { }));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(millis >= 2_000 && millis < 4_000, "gave up after " + millis + " ms");
            assertTrue(e.getMessage().startsWith("database " + spec.display() + " not ready after "), e.getMessage());
            assertElapsed(e.getMessage(), millis);
            assertTrue(e.getMessage().contains(", --wait 2 s): "), e.getMessage());
            assertTrue(e.getMessage().contains("no answer within"), e.getMessage());
            assertFalse(accepted.isEmpty());

            // a single attempt (wait zero) is bounded by the spec's connect timeout
            ConnectionSpec oneSecond = new ConnectionSpec("127.0.0.1", mute.getLocalPort(), "shop", "app", null,
                    Map.of("connectTimeout", "1"));
            long t1 = System.nanoTime();
            AuditException once = assertThrows(AuditException.class,
                    () -> Readiness.await(oneSecond, Duration.ZERO, l -> { }));
            long onceMillis = (System.nanoTime() - t1) / 1_000_000;
            assertTrue(onceMillis >= 900 && onceMillis < 2_500, "single attempt took " + onceMillis + " ms");
            // the message tells the time really waited, not the --wait of zero
            assertTrue(once.getMessage().contains("(1 attempt, --wait 0 s)"), once.getMessage());
            assertElapsed(once.getMessage(), onceMillis);
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void wrongPasswordFailsAtOnce() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            String wrong = "not-the-password-" + System.nanoTime();
            ConnectionSpec spec = ConnectionSpec.parse(db.jdbcUrl(), db.server().user(), wrong, Map.of());
            List<String> lines = new ArrayList<>();
            long t0 = System.nanoTime();
            AuditException e = assertThrows(AuditException.class,
                    () -> Readiness.await(spec, Duration.ofSeconds(30), lines::add));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(millis < 3_000, "took " + millis + " ms: it waited instead of failing fast");
            assertEquals(ExitCode.UNREACHABLE, e.exitCode());
            assertTrue(e.getCause() instanceof java.sql.SQLException se && "28P01".equals(se.getSQLState()),
                    String.valueOf(e.getCause()));
            assertTrue(e.getMessage().startsWith("login to database " + spec.display() + " failed: "), e.getMessage());
            assertTrue(e.getMessage().contains("not retried: waiting cannot fix a wrong password"), e.getMessage());
            assertFalse(e.getMessage().contains(wrong));
            assertTrue(lines.isEmpty(), lines.toString());
        }
    }

    @Test
    void roleWithoutLoginFailsAtOnce() throws Exception {
        String role = "nologin_" + Long.toHexString(System.nanoTime());
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE ROLE " + Identifiers.quote(role) + " NOLOGIN PASSWORD 'pw-of-nologin'");
            }
            try {
                ConnectionSpec spec = ConnectionSpec.parse(db.jdbcUrl(), role, "pw-of-nologin", Map.of());
                long t0 = System.nanoTime();
                AuditException e = assertThrows(AuditException.class,
                        () -> Readiness.await(spec, Duration.ofSeconds(30), l -> { }));
                assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(3));
                assertEquals("28000", ((java.sql.SQLException) e.getCause()).getSQLState());
                assertTrue(e.getMessage().contains("not retried"), e.getMessage());
            } finally {
                try (Connection c = db.connect(); Statement s = c.createStatement()) {
                    s.execute("DROP ROLE " + Identifiers.quote(role));
                }
            }
        }
    }

    @Test
    void waitsForADatabaseCreatedLate() throws Exception {
        ShadowServer server = TestPostgres.server();
        String name = "dw_late_" + Long.toHexString(System.nanoTime());
        ConnectionSpec spec = ConnectionSpec.parse(server.jdbcUrl(name), server.user(), server.password(), Map.of());
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Connection> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return Readiness.await(spec, Duration.ofSeconds(30), lines::add);
            } catch (AuditException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        try {
            Thread.sleep(1_200);
            try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + Identifiers.quote(name));
            }
            try (Connection c = waiting.get(15, TimeUnit.SECONDS); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT current_database()")) {
                assertTrue(rs.next());
                assertEquals(name, rs.getString(1));
            }
            assertTrue(lines.size() >= 2, lines.toString());
            assertTrue(lines.get(0).contains("does not exist") && lines.get(0).contains("(SQLState 3D000)"),
                    lines.get(0));
            assertTrue(lines.get(lines.size() - 1).startsWith("database " + spec.display() + " ready after "));
        } finally {
            waiting.cancel(true);
            try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + Identifiers.quote(name) + " WITH (FORCE)");
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** The "not ready after N.N s" of {@code message} is within 0.3 s of what the test measured around the call. */
    private static void assertElapsed(String message, long measuredMillis) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(" not ready after (\\d+\\.\\d) s ").matcher(message);
        assertTrue(m.find(), message);
        double said = Double.parseDouble(m.group(1));
        assertTrue(Math.abs(said * 1000 - measuredMillis) <= 300, "said " + said + " s, measured " + measuredMillis
                + " ms: " + message);
    }
}
