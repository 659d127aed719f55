package io.driftwatch.alembic;

import java.util.List;

/**
 * The outcome of an {@code upgrade}, {@code stamp} or {@code current} run of the helper against a database.
 *
 * @param applied            {@code upgrade}: the revisions whose upgrade() ran, in order; else empty
 * @param rowsBefore         {@code stamp}: the version table's rows before; else empty
 * @param rows               the version table's rows afterwards (sorted), read the way env.py configures it
 * @param statements         {@code stamp}: the INSERT/UPDATE/DELETE/CREATE statements Alembic executed,
 *                           with their parameters; else empty
 * @param versionTable       the version table's name as the run used it; source {@code env.py} when
 *                           env.py passed {@code version_table} to {@code context.configure}, else
 *                           {@code default}
 * @param versionTableSchema its schema likewise (value null: the search path)
 * @param versionTableExists whether the version table exists afterwards (null if it could not be checked)
 * @param warnings           Python warnings raised during the run (deduplicated)
 */
public record AlembicRun(List<String> applied, List<String> rowsBefore, List<String> rows, List<String> statements,
                         AlembicProject.Setting<String> versionTable, AlembicProject.Setting<String> versionTableSchema,
                         Boolean versionTableExists, List<String> warnings) {

    /** Copies the lists. */
    public AlembicRun {
        applied = List.copyOf(applied);
        rowsBefore = List.copyOf(rowsBefore);
        rows = List.copyOf(rows);
        statements = List.copyOf(statements);
        warnings = List.copyOf(warnings);
    }
}
