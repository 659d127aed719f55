package io.driftwatch.dialect;

import io.driftwatch.base.Owner;
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
     * Creates {@code prefix_<owner tag>_<8 random hex>} on {@code server} from {@code template0}; the
     * {@link Owner} tag (host, pid, start time of this process) lets a later run drop it should this
     * process die before {@link #close()} ({@link #sweep}).
     *
     * @param server where to create it
     * @param prefix name prefix ({@code [a-z0-9_]+}, at most 24 characters)
     * @return the new database
     * @throws SQLException when {@code CREATE DATABASE} fails (e.g. the role lacks CREATEDB)
     * @throws IllegalArgumentException for a malformed prefix
     */
    public static ShadowDatabase create(ShadowServer server, String prefix) throws SQLException {
        if (!prefix.matches("[a-z0-9_]{1,24}")) {
            throw new IllegalArgumentException("bad shadow database prefix: " + prefix);
        }
        String random = String.format(Locale.ROOT, "%08x", RANDOM.nextInt());
        String name = prefix + "_" + Owner.current().tag() + "_" + random;
        if (name.length() > 63) {
            name = prefix + "_" + random; // PostgreSQL would truncate it; never for real pids and times
        }
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + Identifiers.quote(name) + " TEMPLATE template0 ENCODING 'UTF8'");
        }
        return new ShadowDatabase(server, name);
    }

    /**
     * Drops the databases on {@code server} that Driftwatch made ({@code dw_<prefix>_<owner tag>_<random>})
     * for a process that died on this host without dropping them ({@link Owner#deadHere()}); databases of
     * live processes, of other hosts, and without a tag are left alone. Best effort: a database that
     * cannot be dropped (another role owns it) stays.
     *
     * @param server a server Driftwatch may write to
     * @param note   receives one line when something was dropped:
     *               {@code shadow: dropped 1 database left by a run that died on this host (dw_shadow_o…)}
     * @return the names dropped
     */
    public static java.util.List<String> sweep(ShadowServer server, java.util.function.Consumer<String> note) {
        java.util.List<String> dropped = new java.util.ArrayList<>();
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
            java.util.List<String> dead = new java.util.ArrayList<>();
            try (java.sql.ResultSet rs = s.executeQuery(
                    "SELECT datname FROM pg_catalog.pg_database WHERE datname LIKE 'dw\\_%' ORDER BY 1")) {
                while (rs.next()) {
                    String n = rs.getString(1);
                    if (ownerOf(n).map(Owner::deadHere).orElse(false)) {
                        dead.add(n);
                    }
                }
            }
            for (String n : dead) {
                try {
                    s.execute("DROP DATABASE IF EXISTS " + Identifiers.quote(n) + " WITH (FORCE)");
                    dropped.add(n);
                } catch (SQLException ignored) {
                    // not ours to drop after all (another role owns it): leave it
                }
            }
        } catch (SQLException ignored) {
            // best effort: the run itself reports a server it cannot use
        }
        if (!dropped.isEmpty()) {
            note.accept("shadow: dropped " + dropped.size() + (dropped.size() == 1 ? " database" : " databases")
                    + " left by " + (dropped.size() == 1 ? "a run" : "runs") + " that died on this host ("
                    + String.join(", ", dropped) + ")");
        }
        return dropped;
    }

    /** @return the owner in a name made by {@link #create}, or empty */
    public static java.util.Optional<Owner> ownerOf(String name) {
        if (!name.startsWith("dw_")) {
            return java.util.Optional.empty();
        }
        for (int i = name.indexOf("_o"); i > 0; i = name.indexOf("_o", i + 1)) {
            java.util.Optional<Owner> o = Owner.fromName(name, name.substring(0, i + 1));
            if (o.isPresent()) {
                return o;
            }
        }
        return java.util.Optional.empty();
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
