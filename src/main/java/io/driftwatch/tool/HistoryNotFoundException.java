package io.driftwatch.tool;

/**
 * The Flyway version table does not exist in the given schema (the database was never migrated by
 * Flyway, or the schema or table name is wrong), or the table there is not Flyway's (a column is
 * missing). Messages: {@code no Flyway history in schema "X" (table flyway_schema_history not found)},
 * {@code version table X.T is not a Flyway version table: it has no column checksum (Flyway's has ...)}.
 * A configuration problem: the CLI exits 2.
 */
public final class HistoryNotFoundException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message one line naming the schema and table */
    public HistoryNotFoundException(String message) {
        super(message);
    }
}
