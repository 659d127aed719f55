package io.driftwatch.dialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The one read session on an audited database: one read-only snapshot with {@code lock_timeout} and
 * {@code statement_timeout} set before its first query. Everything an audit reads from the target runs
 * inside it: the server facts, the roles, the version table and the catalog. Opened by
 * {@link Dialect#begin}; {@link #close()} ends it (idempotent), so a caller ends it as soon as its reads
 * are done. Nothing is written: the server refuses writes in it. Not thread-safe.
 */
public interface TargetSession extends AutoCloseable {

    /** A unit of work that may fail with a server error. */
    @FunctionalInterface
    interface Work<T, E extends Exception> {
        /**
         * @return the work's result
         * @throws SQLException as the server reports it
         * @throws E            the work's own exception
         */
        T run() throws SQLException, E;
    }

    /** @return the connection, inside the session's transaction; do not commit, roll back or close it */
    Connection connection();

    /** @return what the session read about the server first, inside its transaction */
    ServerFacts serverFacts();

    /** @return the session's {@code lock_timeout} */
    Duration lockTimeout();

    /** @return the session's {@code statement_timeout} */
    Duration statementTimeout();

    /**
     * Runs {@code work} so that a statement the server refuses (e.g. no SELECT on a table) does not end
     * the session: it goes on in the same snapshot.
     *
     * @param work what to run on {@link #connection()}
     * @return its result
     * @throws SQLException the work's failure, after the session was restored
     * @throws E            the work's own exception, likewise
     */
    <T, E extends Exception> T guarded(Work<T, E> work) throws SQLException, E;

    /**
     * Ends the session and restores the connection's states. Idempotent.
     *
     * @throws SQLException when the connection is unusable afterwards
     */
    @Override
    void close() throws SQLException;
}
