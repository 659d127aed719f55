package io.driftwatch.tool;

/**
 * The Flyway version table does not exist in the given schema (the database was never migrated by
 * Flyway, or the schema or table name is wrong). Message:
 * {@code no Flyway history in schema "X" (table flyway_schema_history not found)}.
 */
public final class HistoryNotFoundException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message one line naming the schema and table */
    public HistoryNotFoundException(String message) {
        super(message);
    }
}
