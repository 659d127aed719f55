package io.driftwatch.cli;

import io.driftwatch.postgres.ConnectionSpec;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server that accepts TCP connections and never answers (a hung PostgreSQL, a half-open load
 * balancer) must not hang any command: every connection has connect, login and socket timeouts,
 * and the command exits 3 within about {@code --connect-timeout} with one line.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HungServerCommandTest {

    /** Accepts connections on 127.0.0.1 and holds them open without ever sending a byte. */
    static final class MuteServer implements AutoCloseable {
        final ServerSocket socket;
        final List<Socket> held = new ArrayList<>();
        final Thread acceptor;

        MuteServer() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(() -> {
                try {
                    while (!socket.isClosed()) {
                        Socket s = socket.accept();
                        synchronized (held) {
                            held.add(s);
                        }
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "mute-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        String url() {
            return "postgresql://app:hung-pw-1234@127.0.0.1:" + port() + "/shop";
        }

        int accepted() {
            synchronized (held) {
                return held.size();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            synchronized (held) {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    static ShadowDatabase migrated;
    static Path migrations;

    @BeforeAll
    static void migrate(@TempDir Path dir) throws Exception {
        migrations = Files.createDirectories(dir.resolve("sql"));
        Files.writeString(migrations.resolve("V1__account.sql"), AuditCommandTest.V1);
        migrated = TestPostgres.newDatabase();
        ShadowServer s = TestPostgres.server();
        Flyway.configure().dataSource(s.jdbcUrl(migrated.name()), s.user(), s.password())
                .locations("filesystem:" + migrations).load().migrate();
    }

    @AfterAll
    static void drop() {
        migrated.close();
    }

    /** Runs the CLI, asserting exit 3, one line containing {@code fragment}, within {@code seconds}. */
    static CliRun assertFailsFast(int seconds, String fragment, String... args) {
        long t0 = System.nanoTime();
        CliRun r = CliRun.of(args);
        double took = (System.nanoTime() - t0) / 1e9;
        assertEquals(3, r.exitCode(), r.all());
        assertTrue(took < seconds, "took " + took + " s: " + r.all());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), "one line: " + r.err());
        assertTrue(lines.get(0).startsWith("driftwatch: ") && lines.get(0).contains(fragment), lines.get(0));
        assertFalse(r.all().contains("hung-pw-1234"), "password leaked: " + r.all());
        return r;
    }

    @Test
    void auditInspectDiffAndGateGiveUpOnAHungTarget(@TempDir Path out) throws Exception {
        try (MuteServer mute = new MuteServer()) {
            String fragment = "cannot reach target postgresql://app@127.0.0.1:" + mute.port()
                    + "/shop: no answer within 2 s (--connect-timeout): the server accepts TCP connections on port "
                    + mute.port() + " but does not respond";
            assertFailsFast(8, fragment, "audit", "--url", mute.url(), "--migrations", migrations.toString(),
                    "--connect-timeout", "2s", "--out", out.toString());
            assertFailsFast(8, "(1 attempt, --wait 0 s): no answer within 2 s (--connect-timeout)", "gate", "--url", mute.url(),
                    "--migrations", migrations.toString(), "--connect-timeout", "2s", "--out", out.toString());
            String source = fragment.replace("target", "source");
            assertFailsFast(8, source, "inspect", mute.url(), "--connect-timeout", "2s");
            assertFailsFast(8, source, "diff", "--from", mute.url(), "--to", "migrations:" + migrations,
                    "--connect-timeout", "2s");
            assertTrue(mute.accepted() >= 4, "the connections did reach the mute server: " + mute.accepted());
        }
    }

    @Test
    void pgConnectTimeoutAndTheUrlBoundTheLoginWithoutTheFlag(@TempDir Path out) throws Exception {
        try (MuteServer mute = new MuteServer()) {
            // connectTimeout in the URL bounds the login too (it used to bound only the TCP connect)
            assertFailsFast(4, "no answer within 1 s (--connect-timeout)", "inspect",
                    "jdbc:postgresql://127.0.0.1:" + mute.port() + "/shop?connectTimeout=1&user=app");
        }
    }

    @Test
    void aHungShadowServerEndsTheAuditAndTheDiff(@TempDir Path out) throws Exception {
        ShadowServer s = TestPostgres.server();
        try (MuteServer mute = new MuteServer()) {
            String fragment = "no shadow database available: url: cannot connect to postgresql://app@127.0.0.1:"
                    + mute.port() + "/shop: no answer within 2 s (--connect-timeout)";
            assertFailsFast(12, fragment, "audit", "--url", s.jdbcUrl(migrated.name()), "--user", s.user(),
                    "--password", s.password(), "--migrations", migrations.toString(), "--shadow", "url",
                    "--shadow-url", mute.url(), "--connect-timeout", "2s", "--out", out.toString());
            assertFailsFast(12, fragment, "diff", "--from", "migrations:" + migrations, "--to",
                    "migrations:" + migrations, "--shadow-url", mute.url(), "--connect-timeout", "2s");
        }
    }

    @Test
    void everyConnectionCarriesConnectLoginAndSocketTimeouts() throws Exception {
        ShadowServer s = TestPostgres.server();
        ConnectionSpec spec = ConnectionSpec.parse(s.jdbcUrl(migrated.name()), s.user(), s.password(), Map.of())
                .withTimeouts(Duration.ofMillis(2500), Duration.ofSeconds(300));
        assertEquals("3", spec.params().get("connectTimeout"));
        assertEquals("2.500", spec.params().get("loginTimeout"));
        assertEquals("330", spec.params().get("socketTimeout"), "outlasts the longest statement by 30 s");
        try (Connection c = spec.connect()) {
            assertEquals(330_000, c.getNetworkTimeout());
        }
        // without withTimeouts: the defaults, never "wait forever"
        try (Connection c = ConnectionSpec.parse(s.jdbcUrl(migrated.name()), s.user(), s.password(), Map.of()).connect()) {
            assertEquals(150_000, c.getNetworkTimeout());
        }
        // a shadow server Driftwatch started
        try (Connection c = s.connect("postgres")) {
            assertTrue(c.getNetworkTimeout() > 0, "shadow connections have a socket timeout: " + c.getNetworkTimeout());
        }
    }
}
