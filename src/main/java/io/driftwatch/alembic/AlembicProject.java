package io.driftwatch.alembic;

import java.nio.file.Path;
import java.util.List;

/**
 * An Alembic project's configuration and revision graph, from the helper ({@link AlembicHelper#inspect})
 * or from a static read without Python ({@link StaticRevisionReader}; then {@link #isStatic()} is true).
 *
 * @param isStatic           read from the files without running Alembic (labels, dependencies and merge
 *                           semantics approximated; see {@link StaticRevisionReader})
 * @param projectDir         the project folder paths are relative to
 * @param scriptLocation     {@code script_location} (absolute path) and where it came from
 * @param versionLocations   the version folders (relative to the project folder)
 * @param versionTable       {@code version_table} per alembic.ini (source {@code alembic.ini}) or
 *                           {@code alembic_version} (source {@code default}); env.py may pass another
 *                           value to {@code context.configure}: {@link AlembicHelper#current} reports
 *                           the effective one
 * @param versionTableSchema {@code version_table_schema} likewise (value null: the search path)
 * @param envPyMentions      which of {@code version_table}, {@code version_table_schema},
 *                           {@code include_schemas}, {@code transaction_per_migration}, {@code DATABASE_URL}
 *                           the env.py text mentions (a hint, not a reading of its configure call)
 * @param pythonVersion      the interpreter's version, null for a static read
 * @param alembicVersion     Alembic's version, null for a static read
 * @param sqlalchemyVersion  SQLAlchemy's version, null for a static read
 * @param versionNumLength   the length of Alembic's {@code version_num} column (32), null if unknown
 * @param graphOk            Alembic (or the static reader) could build the revision map
 * @param graphErrors        duplicate ids, missing parents or dependencies, cycles, label conflicts
 * @param revisions          every revision file, sorted by id then path
 * @param heads              head ids, sorted
 * @param bases              base ids, sorted
 * @param order              every id in the order {@code alembic upgrade heads} applies them to an empty
 *                           database, or null when the graph is broken (or, static, a topological order)
 * @param state              what Alembic makes of the rows given with {@code --current}, or null
 * @param warnings           Python warnings raised while loading (deduplicated), and notes of a static read
 */
public record AlembicProject(boolean isStatic, Path projectDir, Setting<String> scriptLocation,
                             Setting<List<String>> versionLocations, Setting<String> versionTable,
                             Setting<String> versionTableSchema, List<String> envPyMentions, String pythonVersion,
                             String alembicVersion, String sqlalchemyVersion, Integer versionNumLength,
                             boolean graphOk, List<GraphError> graphErrors, List<AlembicRevision> revisions,
                             List<String> heads, List<String> bases, List<String> order, AlembicState state,
                             List<String> warnings) {

    /** Copies the lists ({@code order} may be null). */
    public AlembicProject {
        envPyMentions = List.copyOf(envPyMentions);
        graphErrors = List.copyOf(graphErrors);
        revisions = List.copyOf(revisions);
        heads = List.copyOf(heads);
        bases = List.copyOf(bases);
        order = order == null ? null : List.copyOf(order);
        warnings = List.copyOf(warnings);
    }

    /**
     * @param id a revision id
     * @return the revision with that id (the first, when duplicated), or null
     */
    public AlembicRevision revision(String id) {
        for (AlembicRevision r : revisions) {
            if (r.revision().equals(id)) {
                return r;
            }
        }
        return null;
    }

    /**
     * A configuration value and where it came from.
     *
     * @param value  the value (may be null: not set)
     * @param source {@code alembic.ini}, {@code default}, {@code env.py} (seen passed to
     *               {@code context.configure} during a run) or {@code flask-migrate layout}
     * @param <T>    the value's type
     */
    public record Setting<T>(T value, String source) {
    }

    /**
     * One problem of the revision graph.
     *
     * @param kind     {@code duplicate-revision}, {@code missing-parent}, {@code missing-dependency},
     *                 {@code cycle}, {@code dependency-cycle}, {@code branch-label-conflict},
     *                 {@code unreadable-file} (static read) or {@code revision-map} (another refusal of Alembic's)
     * @param revision the revision concerned, or null when it concerns several
     * @param related  the other ids or paths involved (the missing parent, the files of a duplicate, the
     *                 revisions of a cycle)
     * @param message  one line
     */
    public record GraphError(String kind, String revision, List<String> related, String message) {
        /** Copies the list. */
        public GraphError {
            related = related == null ? List.of() : List.copyOf(related);
        }
    }
}
