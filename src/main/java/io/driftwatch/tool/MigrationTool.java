package io.driftwatch.tool;

import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.dialect.TargetSession;
import io.driftwatch.model.RevisionGraph;
import io.driftwatch.policy.AuditRun;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The migration-tool seam: everything the pipeline (audit, gate, stamp, bridge, source, cache) needs
 * from a migration tool, so that it holds this interface and never a wing. Implemented by
 * {@code flyway.FlywayTool} and {@code alembic.AlembicTool}.
 *
 * <p>One instance is one configured project (its folders, settings and version table), made by the CLI
 * for one run. History is a {@link RevisionGraph}: "replay what is applied" is {@link HistoryReport#toReplay()},
 * "pending" is {@link HistoryReport#pending()}, both decided by the tool in its own terms.
 *
 * <p>Nothing here writes to the audited database: {@link #history} and {@link #inFlight} read inside
 * the caller's read-only transaction, {@link #replay} and {@link #copyVersionTable} write only to shadows.
 */
public interface MigrationTool {

    /** @return the tool's name as {@code --tool} takes it: {@code flyway}, {@code alembic} */
    String name();

    /** @return the folders or configuration the revisions come from, as given, for reports */
    List<String> locations();

    /**
     * Reads the project's revisions, the way the tool itself reads them.
     *
     * @return the graph
     * @throws MigrationException (exit 2) for an unreadable or invalid project, one line naming the file
     */
    RevisionGraph scan() throws MigrationException;

    /**
     * @param currentSchema the target role's default schema
     * @return where the version table is, by the project's settings
     */
    VersionTableRef versionTable(String currentSchema);

    /**
     * Reads the version table on the target and checks it against the revisions.
     *
     * @param live  the audit's read session on the target (a refused read goes through {@link TargetSession#guarded})
     * @param graph the revisions from {@link #scan()}
     * @param table the version table
     * @return findings, state, what to replay and what is pending
     * @throws HistoryNotFoundException   (exit 2) when the table does not exist
     * @throws HistoryUnreadableException when the role may not read it (the audit replays everything, DW212)
     * @throws SQLException               when the server fails otherwise
     */
    HistoryReport history(TargetSession live, RevisionGraph graph, VersionTableRef table)
            throws SQLException, HistoryNotFoundException, HistoryUnreadableException;

    /**
     * @param graph the revisions
     * @param table the version table (named in the state)
     * @return a report that replays every revision and checks nothing (no version table to read)
     */
    HistoryReport withoutHistory(RevisionGraph graph, VersionTableRef table);

    /**
     * Applies exactly {@code ids} to {@code db} with the tool itself, in the tool's order, given that
     * their ancestors outside {@code ids} are applied in {@code db} already (an empty database for the
     * expected schema; a clone with its version table for the gate's rehearsal).
     *
     * @param db    a shadow database
     * @param graph the revisions
     * @param ids   revision ids, in {@link HistoryReport} order; empty does nothing
     * @param table the version table to write in {@code db}
     * @throws ReplayException (exit 4) naming the revision and the server's or the tool's error
     */
    void replay(ShadowDatabase db, RevisionGraph graph, List<String> ids, VersionTableRef table)
            throws ReplayException;

    /**
     * The tool's part of the expected-model cache key for replaying {@code ids}: everything beyond the
     * revision files' bytes that changes what the replay yields.
     *
     * @param graph the revisions
     * @param ids   the ids to replay
     * @param table the version table
     * @return named fields, in a stable order
     * @throws UncacheableException when such a replay cannot be cached
     */
    List<CacheKeyField> cacheKey(RevisionGraph graph, List<String> ids, VersionTableRef table)
            throws UncacheableException;

    /**
     * Copies the live version table into a clone (created there first), so the tool in the clone sees
     * the history production has.
     *
     * @param live  a target connection (read only)
     * @param table the version table
     * @param clone a shadow database connection
     * @throws HistoryNotFoundException   when the live table does not exist
     * @throws HistoryUnreadableException when the role may not read it
     * @throws SQLException               when either server fails
     */
    void copyVersionTable(Connection live, VersionTableRef table, Connection clone)
            throws SQLException, HistoryNotFoundException, HistoryUnreadableException;

    /**
     * @param live  a target connection
     * @param table the version table
     * @return one line per sign that this tool is migrating the target right now (Flyway's advisory
     *         lock held; a lock on {@code alembic_version}), empty when none
     * @throws SQLException when the server refuses
     */
    List<String> inFlight(Connection live, VersionTableRef table) throws SQLException;

    /**
     * The bridge migration's file name in the tool's naming, as the next revision after everything
     * local and applied (Flyway: {@code V<next>__driftwatch_bridge.sql}).
     *
     * @param run         the audit the bridge is for
     * @param requested   the revision or version the user asked for ({@code --version}), or null for the next free one
     * @param description the description part, e.g. {@code driftwatch_bridge}
     * @return the file name
     */
    String bridgeFileName(AuditRun run, String requested, String description);

    /**
     * The revisions that build the schema as it is at {@code target}, for {@code migrations:DIR@TARGET}
     * sources (Flyway: every versioned script up to that version, then the repeatables; Alembic: the
     * target and its ancestors).
     *
     * @param graph  the revisions
     * @param target the tool's name of a revision or version, or null for everything (all heads)
     * @return ids in replay order
     * @throws MigrationException (exit 2) when no revision matches {@code target}, naming what exists
     */
    List<String> replaySet(RevisionGraph graph, String target) throws MigrationException;
}
