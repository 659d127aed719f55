package io.driftwatch.testsupport;

import io.driftwatch.postgres.ConnectionSpec;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.dialect.ShadowKind;
import io.driftwatch.dialect.ShadowOptions;
import io.driftwatch.postgres.shadow.ShadowProviders;
import io.driftwatch.dialect.ShadowUnavailableException;

import java.sql.SQLException;
import java.util.Locale;

/**
 * The test suite's PostgreSQL: one server per test JVM, a fresh database per test.
 *
 * <p>Server choice, from the system property or environment variable {@code DRIFTWATCH_TEST_PG}:
 * {@code local} (installed binaries), {@code embedded} (zonky, PostgreSQL 17), or a JDBC URL /
 * {@code postgresql://} URI of a server the tests may create databases on. Default: local binaries
 * when found, else embedded. When no server can be started, {@link #server()} throws
 * {@link IllegalStateException}: tests fail loudly, they are never skipped.
 *
 * <p>Usage: {@code try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect()) {...}}
 */
public final class TestPostgres {

    /** Name of the property / environment variable that selects the server. */
    public static final String SELECTOR = "DRIFTWATCH_TEST_PG";

    // the one allowed piece of static mutable state: the JVM-wide test server
    private static ShadowServer server;
    // a start failure is remembered so every test fails fast with the same message
    private static IllegalStateException failure;

    private TestPostgres() {
    }

    /**
     * The one server of this test JVM, started lazily on first use (about 1 s for local binaries,
     * 3 s embedded), stopped by a JVM shutdown hook.
     *
     * @return the running server
     * @throws IllegalStateException when no server could be started (message names what was tried)
     */
    public static synchronized ShadowServer server() {
        if (failure != null) {
            throw new IllegalStateException(failure.getMessage(), failure);
        }
        if (server == null) {
            ShadowServer s;
            try {
                s = start();
            } catch (IllegalStateException e) {
                failure = e;
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "driftwatch-test-pg-stop"));
            server = s;
        }
        return server;
    }

    /**
     * A fresh database ({@code CREATE DATABASE dw_test_<random> TEMPLATE template0}) on
     * {@link #server()}; the caller closes it, which drops it.
     *
     * @return the new database
     * @throws IllegalStateException when the server cannot be started or the database not created
     */
    public static ShadowDatabase newDatabase() {
        ShadowServer s = server();
        try {
            return s.createDatabase("dw_test");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database on " + s.description() + ": "
                    + e.getMessage(), e);
        }
    }

    private static ShadowServer start() {
        String sel = System.getProperty(SELECTOR);
        if (sel == null || sel.isBlank()) {
            sel = System.getenv(SELECTOR);
        }
        sel = sel == null ? "" : sel.trim();
        String lower = sel.toLowerCase(Locale.ROOT);
        try {
            if (lower.isEmpty()) {
                try {
                    return ShadowProviders.open(ShadowOptions.of(ShadowKind.LOCAL, null), TestPostgres::log);
                } catch (ShadowUnavailableException local) {
                    try {
                        return ShadowProviders.open(ShadowOptions.of(ShadowKind.EMBEDDED, null), TestPostgres::log);
                    } catch (ShadowUnavailableException embedded) {
                        throw new IllegalStateException("no test PostgreSQL could be started: " + local.getMessage()
                                + "; " + embedded.getMessage(), embedded);
                    }
                }
            }
            if (lower.equals("local")) {
                return ShadowProviders.open(ShadowOptions.of(ShadowKind.LOCAL, null), TestPostgres::log);
            }
            if (lower.equals("embedded")) {
                return ShadowProviders.open(ShadowOptions.of(ShadowKind.EMBEDDED, null), TestPostgres::log);
            }
            if (lower.startsWith("jdbc:postgresql:") || lower.startsWith("postgresql:") || lower.startsWith("postgres:")) {
                ConnectionSpec spec = ConnectionSpec.parse(sel, null, null, System.getenv());
                return ShadowProviders.open(new ShadowOptions(ShadowKind.URL, spec, null, null), TestPostgres::log);
            }
            throw new IllegalStateException(SELECTOR + "='" + ConnectionSpec.maskUrl(sel)
                    + "' is not local, embedded or a PostgreSQL JDBC URL");
        } catch (ShadowUnavailableException e) {
            throw new IllegalStateException("no test PostgreSQL (" + SELECTOR + "=" + ConnectionSpec.maskUrl(sel)
                    + "): " + e.getMessage(), e);
        }
    }

    private static void log(String line) {
        System.err.println("[driftwatch tests] " + line);
    }
}
