package io.driftwatch.postgres.shadow;

import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.dialect.ShadowUnavailableException;
import io.driftwatch.postgres.ConnectionSpec;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A user-given server ({@code --shadow-url}) where Driftwatch creates and drops its own uniquely
 * named databases. {@link #close()} does nothing: the server is not ours to stop.
 */
final class UrlPostgresServer implements ShadowServer {

    private final ConnectionSpec spec;
    private final ServerJdbc.Version version;

    private UrlPostgresServer(ConnectionSpec spec, ServerJdbc.Version version) {
        this.spec = spec;
        this.version = version;
    }

    /**
     * Connects once to verify the server is reachable and to read its version.
     *
     * @param spec the server (its database is only used for this first connection)
     * @return the server
     * @throws ShadowUnavailableException {@code url: cannot connect to postgresql://u@h:p/db: <driver message>},
     *         or {@code ...: no answer within N s (--connect-timeout): ...} when the server accepted TCP but
     *         did not complete the login within the spec's {@code loginTimeout}
     */
    static UrlPostgresServer open(ConnectionSpec spec) throws ShadowUnavailableException {
        try (Connection c = spec.connect()) {
            return new UrlPostgresServer(spec, ServerJdbc.version(c));
        } catch (SQLException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
            if (spec.password() != null && !spec.password().isEmpty()) {
                msg = msg.replace(spec.password(), "***");
            }
            if ("08001".equals(e.getSQLState()) && msg.contains("timed out")) {
                long ms = spec.loginTimeout().toMillis();
                msg = "no answer within " + (ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms")
                        + " (--connect-timeout): the server accepts TCP connections on port " + spec.port()
                        + " but does not respond";
            }
            throw new ShadowUnavailableException("url: cannot connect to " + spec.display() + ": "
                    + ConnectionSpec.maskUrl(msg.lines().findFirst().orElse(msg)), e);
        }
    }

    @Override
    public String description() {
        String at = spec.withDatabase("").display();
        return "PostgreSQL " + version.text() + " at " + at.substring(0, at.length() - 1) + " (given server)";
    }

    @Override
    public String provider() {
        return "url";
    }

    @Override
    public int majorVersion() {
        return version.major();
    }

    @Override
    public String jdbcUrl(String database) {
        return spec.withDatabase(database).jdbcUrl();
    }

    @Override
    public String user() {
        return spec.user();
    }

    @Override
    public String password() {
        return spec.password();
    }

    @Override
    public Connection connect(String database) throws SQLException {
        return spec.withDatabase(database).connect();
    }

    @Override
    public ShadowDatabase createDatabase(String prefix) throws SQLException {
        return ShadowDatabase.create(this, prefix);
    }

    /** Does nothing: a user-given server stays up; the databases made on it drop themselves. */
    @Override
    public void close() {
        // not ours to stop
    }
}
