package io.driftwatch.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;

/**
 * The one read session on a database Driftwatch only reads: a {@code REPEATABLE READ READ ONLY}
 * transaction (one snapshot for every statement) with {@code SET LOCAL lock_timeout} and
 * {@code SET LOCAL statement_timeout} before its first query, then {@code search_path = pg_catalog}
 * and {@code jit = off}. Everything an audit reads from the target runs inside one: the server
 * facts ({@link Facts}), the roles, the version table and the catalog
 * ({@link PostgresCatalogReader#read(ReadSession, io.driftwatch.model.SchemaFilter,
 * io.driftwatch.dialect.ConnectionOpener, java.util.function.Consumer)}).
 *
 * <p>Order of statements at {@link #begin}: auto-commit off and read-only on (the driver then opens
 * {@code BEGIN READ ONLY}), {@code SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY},
 * the two timeouts, one {@code SELECT} of {@code server_version_num}, {@code current_schema()} and
 * {@code current_user} (before {@code search_path} changes, so {@code current_schema()} is the
 * role's own), then the {@code search_path} and {@code jit} settings. {@link #close()} rolls back and
 * restores the connection's auto-commit and read-only states; it is idempotent, so a caller may end
 * the session as soon as its reads are done (an idle open transaction holds back vacuum on the
 * audited server). Nothing is written: the server refuses writes in the transaction (SQLState
 * {@code 25006}).
 *
 * <p>Not thread-safe: one thread uses the session's connection at a time.
 */
public final class ReadSession implements io.driftwatch.dialect.TargetSession {

    /**
     * What the session read about the server before anything else, inside its transaction.
     *
     * @param serverVersionNum {@code server_version_num}, e.g. {@code 150018}
     * @param currentSchema    {@code current_schema()} under the role's own {@code search_path}; null when
     *                         no schema of the path exists
     * @param currentUser      {@code current_user}
     */
    public record Facts(int serverVersionNum, String currentSchema, String currentUser) {

        /** @return the major version, e.g. 15 */
        public int major() {
            return serverVersionNum / 10000;
        }
    }

    private final Connection connection;
    private final long lockTimeoutMillis;
    private final long statementTimeoutMillis;
    private final boolean previousAutoCommit;
    private final boolean previousReadOnly;
    private Facts facts;
    private boolean closed;

    private ReadSession(Connection connection, long lockTimeoutMillis, long statementTimeoutMillis,
                        boolean previousAutoCommit, boolean previousReadOnly) {
        this.connection = connection;
        this.lockTimeoutMillis = lockTimeoutMillis;
        this.statementTimeoutMillis = statementTimeoutMillis;
        this.previousAutoCommit = previousAutoCommit;
        this.previousReadOnly = previousReadOnly;
    }

    /**
     * Opens the session on {@code connection}.
     *
     * @param connection       an open connection that is not inside a transaction
     * @param lockTimeout      {@code lock_timeout}, 1 ms to {@value Integer#MAX_VALUE} ms
     * @param statementTimeout {@code statement_timeout}, same range
     * @return the open session; its {@link #facts()} are read
     * @throws SQLException when the connection is inside an open transaction (the driver refuses to
     *                      switch it to read-only; the caller's transaction is left untouched) or the
     *                      server refuses a statement (the transaction is then rolled back and the
     *                      connection's states restored)
     * @throws IllegalArgumentException for a timeout outside the range (zero would disable it)
     */
    public static ReadSession begin(Connection connection, Duration lockTimeout, Duration statementTimeout)
            throws SQLException {
        Objects.requireNonNull(connection, "connection");
        long lock = millis(lockTimeout, "lockTimeout");
        long statement = millis(statementTimeout, "statementTimeout");
        boolean autoCommit = connection.getAutoCommit();
        boolean readOnly = connection.isReadOnly();
        connection.setAutoCommit(false);
        try {
            connection.setReadOnly(true);
        } catch (SQLException e) {
            restoreQuietly(() -> connection.setAutoCommit(autoCommit), e);
            throw e;
        }
        ReadSession session = new ReadSession(connection, lock, statement, autoCommit, readOnly);
        try {
            session.start();
        } catch (SQLException | RuntimeException e) {
            restoreQuietly(session::close, e);
            throw e;
        }
        return session;
    }

    /** @return the connection, inside the session's transaction; do not commit, roll back or close it */
    @Override
    public Connection connection() {
        return connection;
    }

    /** @return the server facts read first in the transaction */
    public Facts facts() {
        return facts;
    }

    @Override
    public io.driftwatch.dialect.ServerFacts serverFacts() {
        int n = facts.serverVersionNum();
        return new io.driftwatch.dialect.ServerFacts(n / 10000 + "." + n % 10000, facts.major(),
                facts.currentSchema() == null ? "public" : facts.currentSchema(), facts.currentUser());
    }

    /** @return the session's {@code lock_timeout} */
    public Duration lockTimeout() {
        return Duration.ofMillis(lockTimeoutMillis);
    }

    /** @return the session's {@code statement_timeout} */
    public Duration statementTimeout() {
        return Duration.ofMillis(statementTimeoutMillis);
    }

    /**
     * Runs {@code work} inside a savepoint, so a statement the server refuses (e.g. SQLState
     * {@code 42501}, no SELECT on a table) does not abort the session: the savepoint is rolled
     * back and released, and the session goes on in the same snapshot.
     *
     * @param work what to run on {@link #connection()}
     * @return its result
     * @throws SQLException the work's failure (after the rollback to the savepoint), or the
     *                      savepoint's own
     * @throws E            the work's own exception (after the rollback to the savepoint)
     */
    @Override
    public <T, E extends Exception> T guarded(io.driftwatch.dialect.TargetSession.Work<T, E> work)
            throws SQLException, E {
        Savepoint sp = connection.setSavepoint();
        try {
            T result = work.run();
            connection.releaseSavepoint(sp);
            return result;
        } catch (Exception e) {
            restoreQuietly(() -> {
                connection.rollback(sp);
                connection.releaseSavepoint(sp);
            }, e);
            throw e;
        }
    }

    /**
     * Rolls back and restores the connection's auto-commit and read-only states. Idempotent.
     *
     * @throws SQLException when the rollback or a restore fails (the connection is then unusable)
     */
    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        SQLException first = null;
        for (SqlAction a : new SqlAction[] {connection::rollback, () -> connection.setReadOnly(previousReadOnly),
                () -> connection.setAutoCommit(previousAutoCommit)}) {
            try {
                a.run();
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * Ends the transaction and begins a new one with the same settings (a new snapshot): for a
     * statement that failed and so ended the transaction (the parallel read's snapshot export).
     *
     * @throws SQLException when the server refuses
     */
    void restart() throws SQLException {
        connection.rollback();
        start();
    }

    /** The SET LOCALs every connection of the read runs after its snapshot is set; numbers only. */
    String setLocals() {
        return timeoutLocals() + "; " + pathLocals();
    }

    private String timeoutLocals() {
        return "SET LOCAL lock_timeout = " + lockTimeoutMillis + "; SET LOCAL statement_timeout = " + statementTimeoutMillis;
    }

    private static String pathLocals() {
        // catalog queries are cheap per row; JIT compiling one (cost above jit_above_cost, reached
        // by the comment query near 10,000 tables) costs more than it saves
        return "SET LOCAL search_path = pg_catalog; SET LOCAL jit = off";
    }

    private void start() throws SQLException {
        try (Statement s = connection.createStatement()) {
            // one snapshot for every query of the session (and the one worker connections import)
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; " + timeoutLocals());
            try (ResultSet rs = s.executeQuery("SELECT pg_catalog.current_setting('server_version_num')::int,"
                    + " pg_catalog.current_schema(), current_user")) {
                rs.next();
                facts = new Facts(rs.getInt(1), rs.getString(2), rs.getString(3));
            }
            s.execute(pathLocals());
        }
    }

    static long millis(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.toMillis() < 1 || d.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException(what + " must be from 1 ms to " + Integer.MAX_VALUE
                    + " ms, got " + d);
        }
        return d.toMillis();
    }

    private static void restoreQuietly(SqlAction action, Throwable primary) {
        try {
            action.run();
        } catch (SQLException e) {
            primary.addSuppressed(e);
        }
    }

    @FunctionalInterface
    private interface SqlAction {
        void run() throws SQLException;
    }
}
