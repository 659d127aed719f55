package io.driftwatch.flyway;

import java.util.List;

/**
 * The content of a Flyway version table.
 *
 * @param schema schema holding the table
 * @param table  table name (default {@code flyway_schema_history})
 * @param rows   rows ordered by {@code installed_rank}
 */
public record AppliedHistory(String schema, String table, List<AppliedMigration> rows) {

    public AppliedHistory {
        rows = List.copyOf(rows);
    }
}
