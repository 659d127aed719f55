package io.driftwatch.dialect;

import io.driftwatch.model.SchemaFilter;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens one more connection to the database a {@link CatalogReader} is already reading, as the same
 * role with the same TLS settings (usually {@code spec::connect} of the {@link DatabaseTarget} that
 * opened the first connection). The parallel read of
 * {@code PostgresCatalogReader.read(conn, filter, more, n, notes)} calls it once per worker connection and always
 * closes what it returns.
 */
@FunctionalInterface
public interface ConnectionOpener {

    /**
     * @return a new open connection (auto-commit on, no transaction open) to the same database
     * @throws SQLException when the connection cannot be opened; the reader then reads on fewer
     *                      connections (a note, not a failure)
     */
    Connection open() throws SQLException;
}
