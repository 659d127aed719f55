package io.driftwatch.introspect;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

/**
 * Which objects a {@link CatalogReader} reads.
 *
 * @param schemas        schema names to read; empty means every non-system schema (all but
 *                       {@code pg_catalog}, {@code information_schema}, {@code pg_toast*},
 *                       {@code pg_temp*})
 * @param excludes       glob patterns over qualified names ({@code schema.name}, and
 *                       {@code schema.table.child} for columns/constraints/indexes), e.g.
 *                       {@code public.tmp_*}, {@code audit.*}; {@code *} does not cross a dot,
 *                       {@code **} does
 * @param historySchema  schema of the version table, never reported (null: none)
 * @param historyTable   name of the version table, never reported (null: none)
 */
public record SchemaFilter(List<String> schemas, List<String> excludes, String historySchema,
                           String historyTable) {

    public SchemaFilter {
        schemas = List.copyOf(schemas);
        excludes = List.copyOf(excludes);
    }

    /** @return a filter that reads every non-system schema and excludes nothing */
    public static SchemaFilter all() {
        return new SchemaFilter(List.of(), List.of(), null, null);
    }

    /**
     * @param qualifiedName unquoted dotted name, e.g. {@code public.orders}
     * @return true when an {@code --exclude} glob matches it
     */
    public boolean isExcluded(String qualifiedName) {
        for (String glob : excludes) {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob.replace('.', '/'));
            if (m.matches(Path.of(qualifiedName.replace('.', '/')))) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return true when {@code schema.table} is the Flyway version table
     */
    public boolean isHistoryTable(String schema, String table) {
        return historyTable != null && historyTable.equals(table)
                && (historySchema == null || historySchema.equals(schema));
    }
}
