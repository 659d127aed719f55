package io.driftwatch.flyway;

import java.util.List;
import java.util.Map;

/**
 * How Flyway is configured when migrations are replayed into a shadow database; mirrors the project's
 * Flyway configuration ({@link FlywaySettings}).
 *
 * @param schemas       Flyway {@code schemas} (created when missing); empty for Flyway's default (the
 *                      connection's current schema, normally {@code public})
 * @param defaultSchema Flyway {@code defaultSchema}, or null for the first of {@code schemas}
 * @param table         version table name, or null for {@code flyway_schema_history}
 * @param placeholders  Flyway placeholders, {@code ${key}} replaced in scripts
 */
public record ReplaySettings(List<String> schemas, String defaultSchema, String table,
                             Map<String, String> placeholders) {

    public ReplaySettings {
        schemas = schemas == null ? List.of() : List.copyOf(schemas);
        placeholders = placeholders == null ? Map.of() : Map.copyOf(placeholders);
    }

    /** @return Flyway's defaults: no schemas, no default schema, the standard table, no placeholders */
    public static ReplaySettings defaults() {
        return new ReplaySettings(List.of(), null, null, Map.of());
    }

    /**
     * @param settings the project's Flyway settings
     * @return the same schemas, default schema, table and placeholders
     */
    public static ReplaySettings of(FlywaySettings settings) {
        return new ReplaySettings(settings.schemas(), settings.defaultSchema(), settings.table(),
                settings.placeholders());
    }
}
