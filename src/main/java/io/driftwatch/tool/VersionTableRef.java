package io.driftwatch.tool;

import java.util.Objects;

/**
 * Where a migration tool keeps its version table: {@code flyway_schema_history}, {@code alembic_version},
 * {@code django_migrations}. The table is the tool's, not the application's: audits never report it
 * as drift and clones copy its rows.
 *
 * @param schema schema holding it, never null
 * @param table  table name, never null
 */
public record VersionTableRef(String schema, String table) {

    public VersionTableRef {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
    }

    /** @return {@code schema.table}, unquoted, e.g. {@code public.alembic_version} */
    public String display() {
        return schema + "." + table;
    }
}
