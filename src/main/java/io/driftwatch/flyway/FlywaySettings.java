package io.driftwatch.flyway;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The parts of a project's Flyway configuration Driftwatch needs, read by {@link FlywayConfigFile}.
 * Never holds a password.
 *
 * @param locations     migration folders, absolute (resolved against the config file's folder)
 * @param schemas       Flyway {@code schemas}; empty when not configured
 * @param defaultSchema Flyway {@code defaultSchema}, or null (Flyway then uses the first of {@code schemas})
 * @param table         version table, or null for {@code flyway_schema_history}
 * @param placeholders  Flyway placeholders in file order
 */
public record FlywaySettings(List<Path> locations, List<String> schemas, String defaultSchema, String table,
                             Map<String, String> placeholders) {

    public FlywaySettings {
        locations = List.copyOf(locations);
        schemas = List.copyOf(schemas);
        placeholders = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(placeholders));
    }

    /** @return the schema holding the version table: {@code defaultSchema}, else the first schema, else null */
    public String historySchema() {
        return defaultSchema != null ? defaultSchema : schemas.isEmpty() ? null : schemas.get(0);
    }

    /** @return {@link #table()} or Flyway's default {@code flyway_schema_history} */
    public String historyTable() {
        return table != null ? table : "flyway_schema_history";
    }
}
