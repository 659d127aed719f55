package io.driftwatch.postgres.shadow;

import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.dialect.ShadowUnavailableException;
import io.driftwatch.dialect.NetworkTimeouts;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * Testcontainers {@code postgres:<major>} container, stopped on {@link #close()} (Testcontainers'
 * Ryuk reaps it if the JVM dies).
 */
final class DockerPostgresServer implements ShadowServer {

    /** Image major used when the target's major is unknown. */
    static final int DEFAULT_MAJOR = 17;

    private final PostgreSQLContainer container;
    private final ServerJdbc.Version version;
    private final NetworkTimeouts timeouts;
    private boolean closed;

    private DockerPostgresServer(PostgreSQLContainer container, ServerJdbc.Version version, NetworkTimeouts timeouts) {
        this.timeouts = timeouts;
        this.container = container;
        this.version = version;
    }

    /**
     * Cheap check that does not touch Testcontainers (whose own probe logs a noisy ERROR).
     *
     * @param env environment variables
     * @return null when an engine looks present, else the reason it does not
     */
    static String engineMissingReason(Map<String, String> env) {
        String host = env.get("DOCKER_HOST");
        if (host != null && !host.isBlank()) {
            return null;
        }
        if (Files.exists(Path.of("/var/run/docker.sock"))) {
            return null;
        }
        return "no Docker engine found (DOCKER_HOST unset, /var/run/docker.sock absent)";
    }

    /**
     * Starts {@code postgres:<major>}.
     *
     * @param major image major version
     * @param env   environment variables
     * @param timeouts driver timeouts of every connection to it
     * @return the running server
     * @throws ShadowUnavailableException {@code docker: <why>}
     */
    static DockerPostgresServer start(int major, Map<String, String> env, NetworkTimeouts timeouts)
            throws ShadowUnavailableException {
        String missing = engineMissingReason(env);
        if (missing != null) {
            throw new ShadowUnavailableException("docker: " + missing);
        }
        PostgreSQLContainer c = new PostgreSQLContainer("postgres:" + major)
                .withCommand("postgres", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
        try {
            c.start();
        } catch (RuntimeException e) {
            stopQuietly(c);
            throw new ShadowUnavailableException("docker: postgres:" + major + " did not start: "
                    + EmbeddedPostgresServer.oneLine(e), e);
        }
        try (Connection conn = ServerJdbc.connect(c.getJdbcUrl(), c.getUsername(), c.getPassword(), timeouts)) {
            return new DockerPostgresServer(c, ServerJdbc.version(conn), timeouts);
        } catch (SQLException e) {
            stopQuietly(c);
            throw new ShadowUnavailableException("docker: postgres:" + major + " started but not reachable: "
                    + EmbeddedPostgresServer.oneLine(e), e);
        }
    }

    @Override
    public String description() {
        return "docker PostgreSQL " + version.text() + " (" + container.getDockerImageName() + "), port "
                + container.getFirstMappedPort();
    }

    @Override
    public String provider() {
        return "docker";
    }

    @Override
    public int majorVersion() {
        return version.major();
    }

    @Override
    public String jdbcUrl(String database) {
        return ServerJdbc.url(container.getHost(), container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT), database);
    }

    @Override
    public String user() {
        return container.getUsername();
    }

    @Override
    public String password() {
        return container.getPassword();
    }

    @Override
    public Connection connect(String database) throws SQLException {
        return ServerJdbc.connect(jdbcUrl(database), user(), password(), timeouts);
    }

    @Override
    public ShadowDatabase createDatabase(String prefix) throws SQLException {
        return ShadowDatabase.create(this, prefix);
    }

    /** Stops and removes the container. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            stopQuietly(container);
        }
    }

    private static void stopQuietly(PostgreSQLContainer c) {
        try {
            c.stop();
        } catch (RuntimeException ignored) {
            // best effort
        }
    }
}
