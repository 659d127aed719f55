package io.driftwatch.dialect;

import io.driftwatch.model.Identifiers;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * A database Driftwatch created on a {@link ShadowServer} and owns: migrations are replayed into
 * it, bridges are verified in it. Closing it drops it ({@code DROP DATABASE ... WITH (FORCE)}).
 */
public final class ShadowDatabase implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ShadowServer server;
    private final String name;
    private boolean closed;

    private ShadowDatabase(ShadowServer server, String name) {
        this.server = server;
        this.name = name;
    }

    /**
     * Creates {@code prefix_<12 random hex>} on {@code server} from {@code template0}.
     *
     * @param server where to create it
     * @param prefix name prefix ({@code [a-z0-9_]+}, at most 40 characters)
     * @return the new database
     * @throws SQLException when {@code CREATE DATABASE} fails (e.g. the role lacks CREATEDB)
     * @throws IllegalArgumentException for a malformed prefix
     */
    public static ShadowDatabase create(ShadowServer server, String prefix) throws SQLException {
        if (!prefix.matches("[a-z0-9_]{1,40}")) {
            throw new IllegalArgumentException("bad shadow database prefix: " + prefix);
        }
        String name = prefix + "_" + Long.toHexString(RANDOM.nextLong() & 0xffffffffffffL).toLowerCase(Locale.ROOT);
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + Identifiers.quote(name) + " TEMPLATE template0 ENCODING 'UTF8'");
        }
        return new ShadowDatabase(server, name);
    }

    /** @return the database name */
    public String name() {
        return name;
    }

    /** @return the server it lives on */
    public ShadowServer server() {
        return server;
    }

    /** @return JDBC URL of this database (no password) */
    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    /**
     * @return a new connection to this database
     * @throws SQLException when the server refuses
     */
    public Connection connect() throws SQLException {
        return server.connect(name);
    }

    /** Drops the database; errors are ignored (the server may already be gone). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + Identifiers.quote(name) + " WITH (FORCE)");
        } catch (SQLException ignored) {
            // best effort: a stopped throwaway server takes the database with it
        }
    }
}
