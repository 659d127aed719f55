package io.driftwatch.dialect;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A database the user named (the audited target, or a server given with {@code --shadow-url}), as
 * the pipeline sees it: something to show without its password and to connect to. The dialect's
 * wing parses it from a URL and the environment ({@link Dialect#target}).
 */
public interface DatabaseTarget {

    /** @return URL for messages and reports, never with a password, e.g. {@code postgresql://app@db:5432/shop} */
    String display();

    /** @return the database name */
    String database();

    /**
     * @return an open connection (auto-commit on)
     * @throws SQLException as the driver reports it; {@link Dialect#connectFailure} turns it into a message
     */
    Connection connect() throws SQLException;
}
