package io.driftwatch.dialect;

import io.driftwatch.model.SchemaFilter;
import io.driftwatch.model.SchemaModel;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Reads a database's catalog into a {@link SchemaModel}. Implementations never write: they run
 * their queries inside a {@code READ ONLY} transaction with {@code lock_timeout} and
 * {@code statement_timeout} set, and roll it back.
 */
public interface CatalogReader {

    /**
     * @param connection an open connection; its auto-commit and read-only state are restored
     *                   before returning
     * @param filter     which schemas and objects to read
     * @return the model, lists sorted by (schema, name); a schema named in {@code filter} that does
     *         not exist is simply absent from {@link SchemaModel#schemas()} (the caller decides)
     * @throws SQLException when the server refuses a catalog query (timeout, permission)
     */
    SchemaModel read(Connection connection, SchemaFilter filter) throws SQLException;
}
