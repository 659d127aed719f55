package io.driftwatch.dialect;

import io.driftwatch.base.AuditException;
import io.driftwatch.model.SchemaFilter;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.plan.Plan;
import io.driftwatch.plan.PlanOptions;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * The database seam: everything the pipeline (audit, gate, reconcile, source) needs from a database
 * engine, so that it holds this interface and never a wing. Implemented by {@code postgres.PostgresDialect}
 * (and later MySQL/MariaDB and SchemaCrawler's generic JDBC wing).
 *
 * <p>Every method that talks to a target only reads; only {@link ShadowServer}s are written.
 */
public interface Dialect {

    /** @return the engine's name, e.g. {@code postgresql} */
    String name();

    /**
     * @param url text that may be a connection URL
     * @return true when it names a database of this engine ({@code postgresql://…}, {@code jdbc:postgresql:…})
     */
    boolean accepts(String url);

    /**
     * Parses a connection as the user gave it.
     *
     * @param url      a URL ({@code postgresql://…}, {@code jdbc:postgresql://…}) or null for the environment only
     * @param user     user, or null
     * @param password password, or null
     * @param env      the environment (e.g. {@code PGHOST}, {@code PGPASSWORD})
     * @return the target
     * @throws IllegalArgumentException with a one-line, password-free message for a malformed URL
     */
    DatabaseTarget target(String url, String user, String password, Map<String, String> env);

    /**
     * @param lockTimeout      {@code lock_timeout} of every read, or null for the dialect's default
     * @param statementTimeout {@code statement_timeout} of every read, or null for the dialect's default
     * @return a reader that reads in one read-only snapshot
     */
    CatalogReader reader(Duration lockTimeout, Duration statementTimeout);

    /**
     * Connects to the target, retrying with backoff for up to {@code wait} (a deploy's readiness wait).
     *
     * @param target     the database
     * @param wait       how long to keep trying; zero for one attempt
     * @param checkpoint receives one line per failed attempt and the success after retries
     * @return an open connection
     * @throws AuditException exit 3 when not ready in time, or at once for a refused login
     */
    Connection awaitReady(DatabaseTarget target, Duration wait, Consumer<String> checkpoint) throws AuditException;

    /**
     * Opens the one read session on a target connection: one read-only snapshot with both timeouts set
     * before its first query, the server facts read first.
     *
     * @param connection       an open connection, not inside a transaction
     * @param lockTimeout      {@code lock_timeout}, or null for the dialect's default
     * @param statementTimeout {@code statement_timeout}, or null for the dialect's default
     * @return the session; the caller closes it
     * @throws SQLException when the server refuses to open it
     */
    TargetSession begin(Connection connection, Duration lockTimeout, Duration statementTimeout) throws SQLException;

    /**
     * Reads a live catalog in {@code session} and, where the engine can, on more connections to the
     * same database sharing its snapshot.
     *
     * @param reader  a reader from {@link #reader}
     * @param session the audit's read session
     * @param target  the target (to open more connections)
     * @param filter  what to read
     * @param notes   receives one-line notes (e.g. "read on one connection: …")
     * @return the model
     * @throws SQLException when a catalog query fails
     */
    SchemaModel readLive(CatalogReader reader, TargetSession session, DatabaseTarget target, SchemaFilter filter,
                         Consumer<String> notes) throws SQLException;

    /**
     * Reads a live catalog on a connection of its own (e.g. {@code inspect}, {@code diff}): a read
     * session is opened with the reader's timeouts, read, and closed.
     *
     * @param reader     a reader from {@link #reader}
     * @param connection the connection
     * @param target     the target (to open more connections)
     * @param filter     what to read
     * @param notes      receives one-line notes
     * @return the model
     * @throws SQLException when a catalog query fails
     */
    SchemaModel readLive(CatalogReader reader, Connection connection, DatabaseTarget target, SchemaFilter filter,
                         Consumer<String> notes) throws SQLException;

    /**
     * @param connection an open connection, not inside a transaction
     * @return the server's version and the role's default schema, read in a read session of their own
     * @throws SQLException when the server refuses
     */
    ServerFacts facts(Connection connection) throws SQLException;

    /**
     * Opens a shadow server as {@code options} ask (explicit URL, local binaries, embedded, Docker).
     *
     * @param options how to obtain it, with the target's major version when known
     * @param notes   receives which server was chosen and why
     * @return an open server; the caller closes it
     * @throws ShadowUnavailableException when none can be started or reached
     * @throws IllegalArgumentException   for contradictory options
     */
    ShadowServer openShadow(ShadowOptions options, Consumer<String> notes) throws ShadowUnavailableException;

    /**
     * @param options how the shadow will be opened
     * @return the major version the shadow server will have, when it can be known before starting one
     *         (the expected-model cache is looked up with it), else empty
     */
    OptionalInt forecastShadowMajor(ShadowOptions options);

    /**
     * @param replayError a replay's one-line error
     * @return a hint to append (starting with {@code ; }) when the engine knows a likely cause
     *         (e.g. a role the shadow lacks), else ""
     */
    String replayHint(String replayError);

    /**
     * @param connection a target connection
     * @return the role names the target knows (a shadow gets them, so grants replay)
     * @throws SQLException when the server refuses
     */
    List<String> roles(Connection connection) throws SQLException;

    /**
     * Creates {@code roles} on a shadow server Driftwatch started (never on one given by URL).
     *
     * @param server the shadow
     * @param roles  role names
     * @param notes  receives what was created
     * @throws SQLException when the shadow refuses
     */
    void ensureRoles(ShadowServer server, Collection<String> roles, Consumer<String> notes) throws SQLException;

    /**
     * @param connection a target connection
     * @param except     a table not to count (the version table), or null
     * @return the number of tables in non-system schemas, whatever the role's privileges on them
     * @throws SQLException when the server refuses
     */
    long tableCount(Connection connection, io.driftwatch.model.ObjectRef except) throws SQLException;

    /**
     * @param connection a target connection
     * @param schemas    the audited schemas (empty: all)
     * @return one line per DDL statement running now on those schemas (a migration in progress), empty when none
     * @throws SQLException when the server refuses
     */
    List<String> ddlInProgress(Connection connection, List<String> schemas) throws SQLException;

    /**
     * Plans the DDL that moves a schema from {@code from} to {@code to}: dependency-ordered, idempotent
     * statements with their hazards (the bridge; from an empty model, the clone of a live schema).
     *
     * @param from    the starting model
     * @param to      the model to reach
     * @param options destructive statements allowed, safe forms (CONCURRENTLY, NOT VALID)
     * @return the plan
     * @throws UnsupportedOperationException when this dialect cannot plan DDL (the message says so)
     */
    Plan plan(SchemaModel from, SchemaModel to, PlanOptions options);

    /**
     * @param role   the database's role in this run, e.g. {@code target} or {@code shadow}
     * @param target where we tried to connect
     * @param e      the driver's exception
     * @return an exit-3 error with a one-line, password-free message saying what to do next
     */
    AuditException connectFailure(String role, DatabaseTarget target, SQLException e);

    /**
     * @param what             what we were doing, e.g. {@code reading the catalog of postgresql://app@db/shop}
     * @param e                the driver's exception
     * @param lockTimeout      the {@code lock_timeout} in force (named when it fired), or null
     * @param statementTimeout the {@code statement_timeout} in force (named when it fired), or null
     * @return an error with the exit code the server's reason calls for and a one-line message
     */
    AuditException queryFailure(String what, SQLException e, Duration lockTimeout, Duration statementTimeout);

    /**
     * @param what what we were doing
     * @param e    the driver's exception
     * @return {@link #queryFailure(String, SQLException, Duration, Duration)} without known timeouts
     */
    default AuditException queryFailure(String what, SQLException e) {
        return queryFailure(what, e, null, null);
    }
}
