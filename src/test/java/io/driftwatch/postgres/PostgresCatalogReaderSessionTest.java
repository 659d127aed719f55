package io.driftwatch.postgres;

import io.driftwatch.model.SchemaFilter;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reader's session discipline: a READ ONLY transaction with pinned timeouts and search_path,
 * always rolled back, the connection's own state restored, nothing written.
 */
class PostgresCatalogReaderSessionTest {

    /** Serial read, and the parallel read (the tables query may run on either connection). */
    @ParameterizedTest(name = "parallel={0}")
    @ValueSource(booleans = {false, true})
    void readsInsideAReadOnlyTransactionWithTimeoutsAndPinnedSearchPath(boolean parallel) throws Exception {
        PostgresCatalogReader reader = new PostgresCatalogReader(Duration.ofMillis(1500), Duration.ofSeconds(42));
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect()) {
            CatalogFixture.create(c);
            List<String> inside = java.util.Collections.synchronizedList(new ArrayList<>());
            // observe the session from within the read, just before the tables query runs
            java.util.function.Function<Connection, BeforePrepare> hook = conn -> sql -> {
                if (sql.contains("pg_catalog.pg_get_partkeydef") && inside.isEmpty()) {
                    Connection c2 = conn;
                    try (Statement s = c2.createStatement();
                         ResultSet rs = s.executeQuery("SELECT pg_catalog.current_setting('transaction_read_only'), "
                                 + "pg_catalog.current_setting('lock_timeout'), "
                                 + "pg_catalog.current_setting('statement_timeout'), "
                                 + "pg_catalog.current_setting('search_path'), "
                                 + "pg_catalog.txid_current_if_assigned()::text, "
                                 + "pg_catalog.current_setting('transaction_isolation')")) {
                        rs.next();
                        for (int i = 1; i <= 6; i++) {
                            inside.add(String.valueOf(rs.getString(i)));
                        }
                    }
                    try (Statement s = c2.createStatement()) {
                        // SAVEPOINT through SQL: a worker connection runs its own BEGIN in auto-commit mode
                        s.execute("SAVEPOINT probe");
                        try {
                            s.execute("CREATE TABLE public.written_by_reader (id integer)");
                            inside.add("write succeeded");
                        } catch (SQLException e) {
                            inside.add(e.getSQLState());
                        }
                        s.execute("ROLLBACK TO SAVEPOINT probe");
                    }
                }
            };
            Connection spy = spy(c, hook.apply(c));
            List<String> notes = new ArrayList<>();
            List<Connection> workers = new ArrayList<>();
            SchemaModel model = parallel
                    ? reader.read(spy, SchemaFilter.all(), () -> {
                        Connection w = db.connect();
                        workers.add(w);
                        return spy(w, hook.apply(w));
                    }, 2, notes::add)
                    : reader.read(spy, SchemaFilter.all());

            assertEquals(List.of("on", "1500ms", "42s", "pg_catalog", "null", "repeatable read", "25006"), inside);
            assertEquals(List.of(), notes);
            assertEquals(parallel ? 1 : 0, workers.size());
            for (Connection w : workers) {
                assertTrue(w.isClosed(), "worker connection closed");
            }
            assertEquals(8, model.tables().size());
            assertTrue(c.getAutoCommit());
            assertFalse(c.isReadOnly());
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_catalog.current_setting('transaction_read_only'), "
                         + "pg_catalog.current_setting('lock_timeout'), pg_catalog.current_setting('statement_timeout'), "
                         + "pg_catalog.current_setting('search_path'), "
                         + "(SELECT count(*) FROM pg_catalog.pg_class WHERE relname = 'written_by_reader')")) {
                rs.next();
                assertEquals("off", rs.getString(1));
                assertEquals("0", rs.getString(2));
                assertEquals("0", rs.getString(3));
                assertEquals("\"$user\", public", rs.getString(4));
                assertEquals(0, rs.getInt(5));
            }
        }
    }

    @Test
    void leavesNoOpenTransactionAndRestoresAManualCommitConnection() throws Exception {
        PostgresCatalogReader reader = new PostgresCatalogReader();
        try (ShadowDatabase db = TestPostgres.newDatabase();
             Connection c = db.connect();
             Connection observer = db.connect()) {
            CatalogFixture.create(c);
            int pid;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }

            reader.read(c, SchemaFilter.all());
            assertEquals("idle", backendState(observer, pid));

            c.setAutoCommit(false);
            reader.read(c, SchemaFilter.all());
            assertFalse(c.getAutoCommit());
            assertFalse(c.isReadOnly());
            assertEquals("idle", backendState(observer, pid));
            c.setAutoCommit(true);
        }
    }

    @Test
    void refusesAConnectionInsideAnOpenTransactionAndLeavesThatTransactionAlone() throws Exception {
        PostgresCatalogReader reader = new PostgresCatalogReader();
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE callers_work (id integer)");
            }

            SQLException e = assertThrows(SQLException.class, () -> reader.read(c, SchemaFilter.all()));
            assertEquals("25001", e.getSQLState()); // active_sql_transaction

            assertFalse(c.getAutoCommit());
            c.commit(); // the caller's work survived the refused read
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_catalog.pg_class WHERE relname = 'callers_work'")) {
                rs.next();
                assertEquals(1, rs.getInt(1));
            }
            c.setAutoCommit(true);
        }
    }

    @ParameterizedTest(name = "parallel={0}")
    @ValueSource(booleans = {false, true})
    void restoresTheConnectionWhenAQueryFails(boolean parallel) throws Exception {
        PostgresCatalogReader reader = new PostgresCatalogReader(Duration.ofSeconds(5), Duration.ofMillis(1));
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect()) {
            // make the failure certain: inside the reader's transaction, sleep past its 1 ms timeout
            java.util.function.Function<Connection, BeforePrepare> hook = conn -> sql -> {
                if (sql.contains("pg_catalog.pg_get_partkeydef")) {
                    try (Statement s = conn.createStatement()) {
                        s.execute("SELECT pg_catalog.pg_sleep(0.05)");
                    }
                }
            };
            Connection slow = spy(c, hook.apply(c));
            List<Connection> workers = java.util.Collections.synchronizedList(new ArrayList<>());
            SQLException e = assertThrows(SQLException.class, () -> {
                if (parallel) {
                    reader.read(slow, SchemaFilter.all(), () -> {
                        Connection w = db.connect();
                        workers.add(w);
                        return spy(w, hook.apply(w));
                    }, 2, line -> { });
                } else {
                    reader.read(slow, SchemaFilter.all());
                }
            });
            for (Connection w : workers) {
                assertTrue(w.isClosed(), "worker connection closed");
            }
            assertEquals("57014", e.getSQLState()); // query_canceled by statement_timeout
            assertTrue(c.getAutoCommit());
            assertFalse(c.isReadOnly());
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                rs.next();
                assertEquals(1, rs.getInt(1));
            }
        }
    }

    @Test
    void rejectsTimeoutsThatWouldDisableTheSafetyNet() {
        assertThrows(IllegalArgumentException.class, () -> new PostgresCatalogReader(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new PostgresCatalogReader(Duration.ofSeconds(1), Duration.ofMillis(-5)));
        assertThrows(IllegalArgumentException.class,
                () -> new PostgresCatalogReader(Duration.ofSeconds(1), Duration.ofDays(30)));
        PostgresCatalogReader defaults = new PostgresCatalogReader();
        assertEquals(Duration.ofSeconds(5), defaults.lockTimeout());
        assertEquals(Duration.ofSeconds(120), defaults.statementTimeout());
    }

    private static String backendState(Connection observer, int pid) throws SQLException {
        try (Statement s = observer.createStatement();
             ResultSet rs = s.executeQuery("SELECT state FROM pg_catalog.pg_stat_activity WHERE pid = " + pid)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @FunctionalInterface
    private interface BeforePrepare {
        void run(String sql) throws SQLException;
    }

    /** A connection that runs {@code hook} before each {@code prepareStatement(sql)}, then delegates. */
    private static Connection spy(Connection target, BeforePrepare hook) {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getName().equals("prepareStatement") && args != null && args[0] instanceof String sql) {
                hook.run(sql);
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
    }
}
