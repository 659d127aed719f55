package io.driftwatch.flyway.stamp;

import io.driftwatch.flyway.AppliedMigration;
import io.driftwatch.flyway.ResolvedMigration;

/**
 * One change a stamp makes to Flyway's version table. Each becomes one SQL statement (see
 * {@link StampPlanner}); rows inserted look exactly like the rows Flyway 13 writes itself.
 */
public sealed interface StampAction {

    /** @return one line for humans, e.g. {@code insert V17 customer order stats (rank 19, checksum 123)} */
    String summary();

    /**
     * @param table       the version table, quoted and qualified ({@code "public"."flyway_schema_history"})
     * @param installedBy {@code installed_by} for inserted rows
     * @return the statement, ending in {@code ;} and a line break
     */
    String sql(String table, String installedBy);

    /** Column list and {@code VALUES (} of every insert, in the table's column order minus {@code installed_on}. */
    String INSERT_COLUMNS = " (installed_rank, version, description, type, script, checksum, installed_by,"
            + " execution_time, success)\n    VALUES (";

    /**
     * Records a script as applied because its objects are already in the database (applied by hand):
     * an {@code SQL} row with Flyway's checksum, {@code execution_time} 0, {@code success} true, as
     * {@code flyway migrate} would have written it.
     *
     * @param migration the local script
     * @param rank      {@code installed_rank} of the new row
     */
    record InsertApplied(ResolvedMigration migration, int rank) implements StampAction {
        @Override
        public String sql(String table, String installedBy) {
            return "INSERT INTO " + table + INSERT_COLUMNS + rank + ", " + StampPlanner.nullable(migration.version())
                    + ", " + StampPlanner.literal(StampPlanner.flywayDescription(migration.description())) + ", 'SQL', "
                    + StampPlanner.literal(StampPlanner.flywayScript(migration.script())) + ", " + migration.checksum() + ", "
                    + StampPlanner.literal(installedBy) + ", 0, true);\n";
        }

        @Override
        public String summary() {
            return "record " + migration.displayName() + (migration.repeatable() ? "" : " " + migration.description())
                    + " as applied (rank " + rank + ", checksum " + migration.checksum()
                    + "): its objects are already in the database";
        }
    }

    /**
     * Sets the stored checksum of an applied script to the local script's, as {@code flyway repair} does
     * ({@code DbRepair.alignAppliedMigrationsWithResolvedMigrations}).
     *
     * @param name        {@code V<version>} of the row
     * @param rank        {@code installed_rank} of the row
     * @param oldChecksum checksum in the table (may be null)
     * @param newChecksum checksum of the local script
     */
    record RealignChecksum(String name, int rank, Integer oldChecksum, int newChecksum) implements StampAction {
        @Override
        public String sql(String table, String installedBy) {
            return "UPDATE " + table + " SET checksum = " + newChecksum + " WHERE installed_rank = " + rank + ";\n";
        }

        @Override
        public String summary() {
            return "realign the checksum of " + name + " (rank " + rank + ") from " + oldChecksum + " to "
                    + newChecksum + ": script edited after it was applied (as flyway repair)";
        }
    }

    /**
     * Deletes a row with {@code success = false}, as {@code flyway repair} does
     * ({@code SchemaHistory.removeFailedMigrations}).
     *
     * @param row the failed row
     */
    record DeleteFailed(AppliedMigration row) implements StampAction {
        @Override
        public String sql(String table, String installedBy) {
            return "DELETE FROM " + table + " WHERE installed_rank = " + row.installedRank() + " AND NOT success;\n";
        }

        @Override
        public String summary() {
            return "delete the failed row of " + StampPlanner.rowName(row) + " (rank " + row.installedRank()
                    + ", as flyway repair)";
        }
    }

    /**
     * Marks an applied migration whose script no longer exists as deleted: a {@code DELETE} row copying
     * its version, description, script and checksum, as {@code flyway repair} does for missing
     * migrations matched by {@code ignoreMigrationPatterns} ({@code JdbcTableSchemaHistory.delete}).
     *
     * @param row  the applied row without a local script
     * @param rank {@code installed_rank} of the new {@code DELETE} row
     */
    record MarkDeleted(AppliedMigration row, int rank) implements StampAction {
        @Override
        public String sql(String table, String installedBy) {
            return "INSERT INTO " + table + INSERT_COLUMNS + rank + ", " + StampPlanner.nullable(row.version()) + ", "
                    + StampPlanner.nullable(row.description()) + ", 'DELETE', " + StampPlanner.nullable(row.script())
                    + ", " + (row.checksum() == null ? "NULL" : row.checksum().toString()) + ", "
                    + StampPlanner.literal(installedBy) + ", 0, " + row.success() + ");\n";
        }

        @Override
        public String summary() {
            return "mark " + StampPlanner.rowName(row) + " (rank " + row.installedRank()
                    + ") as deleted with a DELETE row (rank " + rank + "): its script is gone (--forget-missing)";
        }
    }

    /**
     * Flyway's baseline row ({@code flyway baseline}): description and script {@code << Flyway Baseline >>},
     * type {@code BASELINE}, no checksum.
     *
     * @param version baseline version as given
     * @param rank    {@code installed_rank} (1 on an empty table)
     */
    record Baseline(String version, int rank) implements StampAction {
        @Override
        public String sql(String table, String installedBy) {
            return "INSERT INTO " + table + INSERT_COLUMNS + rank + ", " + StampPlanner.literal(version) + ", "
                    + StampPlanner.literal(StampPlanner.BASELINE_TEXT) + ", 'BASELINE', "
                    + StampPlanner.literal(StampPlanner.BASELINE_TEXT) + ", NULL, " + StampPlanner.literal(installedBy)
                    + ", 0, true);\n";
        }

        @Override
        public String summary() {
            return "baseline at version " + version + " (rank " + rank + ")";
        }
    }
}
