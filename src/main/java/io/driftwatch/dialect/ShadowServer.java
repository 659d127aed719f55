package io.driftwatch.dialect;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A database server Driftwatch may write to (PostgreSQL today): a throwaway one it started (local binaries,
 * embedded, Docker) or one the user gave with {@code --shadow-url}. Shadow databases are created on
 * it with {@link #createDatabase(String)}; the audited database is never one of them.
 *
 * <p>{@link #close()} stops and deletes a server the tool started (idempotent; also done by a JVM
 * shutdown hook); for a user-given server it does nothing.
 */
public interface ShadowServer extends AutoCloseable {

    /** @return one line for humans, e.g. {@code local PostgreSQL 15.18 (/usr/lib/postgresql/15/bin), port 40123} */
    String description();

    /** @return provider that made it: {@code url}, {@code local}, {@code embedded} or {@code docker} */
    String provider();

    /** @return server major version, e.g. 15 */
    int majorVersion();

    /**
     * @param database database name
     * @return JDBC URL for that database on this server (no password in it)
     */
    String jdbcUrl(String database);

    /** @return role to connect as */
    String user();

    /** @return password for {@link #user()}, may be null */
    String password();

    /**
     * @param database database name
     * @return an open connection as {@link #user()}
     * @throws SQLException when the server refuses
     */
    Connection connect(String database) throws SQLException;

    /**
     * Creates a fresh, uniquely named database ({@code prefix_<random>}) from {@code template0}.
     *
     * @param prefix lower-case name prefix, e.g. {@code dw_shadow}
     * @return the database, dropped when closed
     * @throws SQLException when creation fails
     */
    ShadowDatabase createDatabase(String prefix) throws SQLException;

    /**
     * @return the folder of the server's own binaries ({@code psql} among them) when Driftwatch started it from
     *         installed binaries, else null
     */
    default java.nio.file.Path binDir() {
        return null;
    }

    @Override
    void close();
}
