package io.driftwatch.postgres.shadow;

import io.driftwatch.base.Owner;
import io.driftwatch.dialect.NetworkTimeouts;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.dialect.ShadowKind;
import io.driftwatch.dialect.ShadowOptions;
import io.driftwatch.dialect.ShadowUnavailableException;
import io.driftwatch.postgres.ConnectionSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real servers: local binaries (PostgreSQL 15 on these machines), zonky embedded (17), url over a local one. */
class ShadowProvidersTest {

    private static ShadowServer shared;

    @BeforeAll
    static void startShared() throws Exception {
        shared = ShadowProviders.open(ShadowOptions.of(ShadowKind.LOCAL, 15), line -> { });
    }

    @AfterAll
    static void stopShared() {
        if (shared != null) {
            shared.close();
        }
    }

    @Test
    void localStartsQuicklyWithTheTargetsMajorAndPasswordAuth() throws Exception {
        List<String> log = new ArrayList<>();
        long t0 = System.nanoTime();
        try (ShadowServer s = ShadowProviders.open(ShadowOptions.of(ShadowKind.LOCAL, 15), log::add)) {
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(millis < 10_000, "local start took " + millis + " ms");
            assertEquals("local", s.provider());
            assertEquals(15, s.majorVersion());
            assertEquals("postgres", s.user());
            assertTrue(s.password() != null && s.password().length() >= 20);
            assertTrue(s.jdbcUrl("x").startsWith("jdbc:postgresql://127.0.0.1:"), s.jdbcUrl("x"));
            assertFalse(s.jdbcUrl("x").contains(s.password()));
            assertEquals(1, log.size(), log.toString());
            assertTrue(log.get(0).startsWith("shadow: local PostgreSQL 15."), log.get(0));
            assertFalse(log.get(0).contains(s.password()));
            try (Connection c = s.connect("postgres"); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT current_setting('fsync'), current_setting('password_encryption'),"
                         + " current_setting('listen_addresses')")) {
                rs.next();
                assertEquals("off", rs.getString(1));
                assertEquals("scram-sha-256", rs.getString(2));
                assertEquals("127.0.0.1", rs.getString(3));
            }
        }
    }

    @Test
    void localRefusesAWrongOrMissingPassword() {
        String url = shared.jdbcUrl("postgres");
        SQLException wrong = assertThrows(SQLException.class, () -> ServerJdbc.connect(url, "postgres", "not-it", io.driftwatch.dialect.NetworkTimeouts.DEFAULTS).close());
        assertEquals("28P01", wrong.getSQLState(), wrong.getMessage());
        assertThrows(SQLException.class, () -> ServerJdbc.connect(url, "postgres", null, io.driftwatch.dialect.NetworkTimeouts.DEFAULTS).close());
    }

    @Test
    void localCreatesAndDropsDatabases() throws Exception {
        String name;
        try (ShadowDatabase db = shared.createDatabase("dw_shadow")) {
            name = db.name();
            assertTrue(name.matches("dw_shadow_o[0-9a-f]{8}_[0-9]+_[0-9a-z]+_[0-9a-f]{8}"), name);
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE t (id int)");
            }
            assertTrue(databaseExists(shared, name));
        }
        assertFalse(databaseExists(shared, name), name + " still in pg_database after close");
    }

    @Test
    void localCloseStopsTheServerAndDeletesItsDirectory() throws Exception {
        LocalPostgresServer s = (LocalPostgresServer) ShadowProviders.open(ShadowOptions.of(ShadowKind.LOCAL, null), l -> { });
        Path dir = s.baseDirectory();
        int port = s.port();
        assertTrue(Files.isDirectory(dir.resolve("data")));
        assertTrue(accepts(port));
        s.close();
        assertFalse(Files.exists(dir), dir + " still exists");
        assertFalse(accepts(port), "port " + port + " still accepts connections");
        s.close(); // idempotent
    }

    @Test
    void aServerWhoseJvmDiedIsStoppedAndDeletedByTheNextStart() throws Exception {
        LocalPostgresServer s = (LocalPostgresServer) ShadowProviders.open(ShadowOptions.of(ShadowKind.LOCAL, null), l -> { });
        try {
            Path owner = s.baseDirectory().resolve("owner");
            List<String> lines = Files.readAllLines(owner);
            assertEquals(Owner.current().tag(), lines.get(0));
            Files.writeString(owner, LeftoverSweepTest.deadOwner().tag() + "\n" + lines.get(1) + "\n");
            assertTrue(accepts(s.port()));
            LocalPostgresServer.reapOrphans(LocalPostgresServer.runningAsRoot());
            assertFalse(Files.exists(s.baseDirectory()), s.baseDirectory() + " still exists");
            assertFalse(accepts(s.port()), "orphaned server still accepts connections");
        } finally {
            s.close();
        }
    }

    @Test
    void localWithoutBinariesIsUnavailable() {
        Map<String, String> env = Map.of("PATH", "/nonexistent");
        if (Files.isDirectory(Path.of("/usr/lib/postgresql"))) {
            // the fixed search path still finds them: check discovery instead
            assertFalse(LocalBinaries.discover(env).isEmpty());
            return;
        }
        ShadowUnavailableException e = assertThrows(ShadowUnavailableException.class,
                () -> ShadowProviders.open(ShadowOptions.of(ShadowKind.LOCAL, null), l -> { }, env));
        assertTrue(e.getMessage().startsWith("local: no PostgreSQL binaries found"), e.getMessage());
    }

    @Test
    void embeddedStartsPostgres17() throws Exception {
        List<String> log = new ArrayList<>();
        try (ShadowServer s = ShadowProviders.open(ShadowOptions.of(ShadowKind.EMBEDDED, null), log::add)) {
            assertEquals("embedded", s.provider());
            assertEquals(17, s.majorVersion());
            assertEquals(17, EmbeddedPostgresServer.bundledMajor());
            String name;
            try (ShadowDatabase db = s.createDatabase("dw_shadow")) {
                name = db.name();
                assertTrue(databaseExists(s, name));
            }
            assertFalse(databaseExists(s, name));
            assertTrue(log.get(0).startsWith("shadow: embedded PostgreSQL 17."), log.toString());
        }
    }

    @Test
    void urlCreatesAndDropsUniquelyNamedDatabasesOnTheGivenServer() throws Exception {
        ConnectionSpec given = specOf(shared, "postgres", shared.password());
        List<String> log = new ArrayList<>();
        ShadowServer s = ShadowProviders.open(new ShadowOptions(ShadowKind.URL, given, 15, null), log::add);
        assertEquals("url", s.provider());
        assertEquals(15, s.majorVersion());
        String a;
        String b;
        try (ShadowDatabase da = s.createDatabase("dw_shadow"); ShadowDatabase db = s.createDatabase("dw_shadow")) {
            a = da.name();
            b = db.name();
            assertNotEquals(a, b);
            assertTrue(databaseExists(shared, a) && databaseExists(shared, b));
        }
        assertFalse(databaseExists(shared, a));
        assertFalse(databaseExists(shared, b));
        s.close(); // does nothing to the given server
        assertTrue(databaseExists(shared, "postgres"));
        assertTrue(log.get(0).startsWith("shadow: PostgreSQL 15."), log.toString());
        assertFalse(String.join("\n", log).contains(shared.password()));
    }

    @Test
    void urlRefusesTheAuditedDatabase() {
        ConnectionSpec target = specOf(shared, "app", shared.password());
        ConnectionSpec shadow = ConnectionSpec.parse("postgresql://postgres@localhost:"
                + target.port() + "/app", null, null, Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ShadowProviders.open(new ShadowOptions(ShadowKind.URL, shadow, null, target), l -> { }));
        assertEquals("--shadow-url points at the audited database postgresql://postgres@127.0.0.1:"
                + target.port() + "/app; give a server Driftwatch may write to", e.getMessage());
        // auto with a shadow URL takes the same path
        assertThrows(IllegalArgumentException.class,
                () -> ShadowProviders.open(new ShadowOptions(ShadowKind.AUTO, shadow, null, target), l -> { }));
    }

    @Test
    void urlWithAWrongPasswordIsUnavailableWithoutShowingIt() {
        ConnectionSpec bad = specOf(shared, "postgres", "Secret-Wrong-123");
        ShadowUnavailableException e = assertThrows(ShadowUnavailableException.class,
                () -> ShadowProviders.open(new ShadowOptions(ShadowKind.URL, bad, null, null), l -> { }));
        assertTrue(e.getMessage().startsWith("url: cannot connect to postgresql://postgres@127.0.0.1:"), e.getMessage());
        assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
        assertFalse(e.getMessage().contains("Secret-Wrong-123"));
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void dockerSaysClearlyThatThereIsNoEngine() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("DOCKER_HOST");
        assertFalse(Files.exists(Path.of("/var/run/docker.sock")), "this test expects a machine without Docker");
        ShadowUnavailableException e = assertThrows(ShadowUnavailableException.class,
                () -> ShadowProviders.open(ShadowOptions.of(ShadowKind.DOCKER, 15), l -> { }, env));
        assertEquals("docker: no Docker engine found (DOCKER_HOST unset, /var/run/docker.sock absent)", e.getMessage());
    }

    @Test
    void autoWithTarget15PicksLocalAndSaysWhy() throws Exception {
        List<String> log = new ArrayList<>();
        try (ShadowServer s = ShadowProviders.open(ShadowOptions.of(ShadowKind.AUTO, 15), log::add)) {
            assertEquals("local", s.provider());
            assertEquals(15, s.majorVersion());
            assertEquals(1, log.size(), log.toString());
            assertTrue(log.get(0).matches("shadow: local PostgreSQL 15\\.\\d+ from .*, port \\d+"
                    + " — auto: same major as the target \\(15\\)"), log.get(0));
        }
    }

    @Test
    void autoWithAMajorWithoutBinariesWarnsAboutDeparsing() throws Exception {
        List<String> log = new ArrayList<>();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("DOCKER_HOST");
        try (ShadowServer s = ShadowProviders.open(ShadowOptions.of(ShadowKind.AUTO, 13), log::add, env)) {
            assertEquals("local", s.provider());
            assertNotEquals(13, s.majorVersion());
            assertEquals(2, log.size(), log.toString());
            assertTrue(log.get(0).contains("auto: no PostgreSQL 13 binaries and no Docker engine"), log.get(0));
            assertTrue(log.get(1).startsWith("warning:"), log.get(1));
            assertTrue(log.get(1).contains("definitions deparsed by different majors may differ"), log.get(1));
        }
    }

    @Test
    void parsesShadowKinds() {
        assertEquals(ShadowKind.EMBEDDED, ShadowKind.parse("Embedded"));
        assertEquals("docker", ShadowKind.DOCKER.cliName());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShadowKind.parse("podman"));
        assertEquals("--shadow 'podman' is not one of auto, url, local, embedded, docker", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ShadowProviders.open(ShadowOptions.of(ShadowKind.URL, null), l -> { }));
    }

    private static ConnectionSpec specOf(ShadowServer s, String database, String password) {
        return ConnectionSpec.parse(s.jdbcUrl(database), s.user(), password, Map.of());
    }

    private static boolean databaseExists(ShadowServer s, String name) throws SQLException {
        try (Connection c = s.connect("postgres");
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_database WHERE datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }

    private static boolean accepts(int port) throws IOException {
        try (Socket so = new Socket()) {
            so.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (ConnectException e) {
            return false;
        }
    }
}
