package io.driftwatch.flyway;

import io.driftwatch.tool.HistoryNotFoundException;
import io.driftwatch.tool.HistoryUnreadableException;
import io.driftwatch.dialect.TargetSession;
import io.driftwatch.postgres.ReadSession;
import io.driftwatch.model.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Flyway's version table from the audited database, safely: inside a {@link ReadSession}
 * ({@code REPEATABLE READ READ ONLY} with {@code lock_timeout} and {@code statement_timeout} set
 * locally, rolled back afterwards) — the caller's ({@link #read(ReadSession, String, String)}, as the
 * audit does), or one of its own with 5 s and 60 s ({@link #read(Connection, String, String)}).
 * Nothing is written.
 *
 * <p>Rows are returned as stored, ordered by {@code installed_rank}: a bad version text, a NULL checksum,
 * an unknown type or a NULL script is passed through (the {@code HistoryChecker} reports such rows),
 * a NULL {@code success} reads as false, a NULL {@code execution_time} as 0, {@code installed_on} is rendered
 * as ISO-8601 local date-time text ({@code 2024-05-01T10:15:30.123456}).
 */
public final class FlywayHistoryReader {

    /** Default Flyway version table name. */
    public static final String DEFAULT_TABLE = "flyway_schema_history";
    /** The columns of Flyway's version table (flyway-database-postgresql {@code createMetaDataTable.sql}), in order. */
    static final List<String> COLUMNS = List.of("installed_rank", "version", "description", "type", "script",
            "checksum", "installed_by", "installed_on", "execution_time", "success");
    static final java.time.Duration LOCK_TIMEOUT = java.time.Duration.ofSeconds(5);
    static final java.time.Duration STATEMENT_TIMEOUT = java.time.Duration.ofSeconds(60);

    /** Creates a reader; it holds no state. */
    public FlywayHistoryReader() {
    }

    /**
     * @param c      an open connection, not inside a transaction (it is used in a transaction of its own
     *               that is rolled back)
     * @param schema schema of the table, or null for the connection's {@code current_schema()}
     * @param table  table name, or null for {@value #DEFAULT_TABLE}
     * @return the rows, by {@code installed_rank}
     * @throws HistoryNotFoundException   when the table does not exist:
     *         {@code no Flyway history in schema "X" (table T not found)}
     * @throws HistoryUnreadableException when the server denies access (SQLState 42501); the message names
     *         the table and role and suggests {@code GRANT SELECT ON schema.table TO role}
     * @throws SQLException               any other server error (e.g. a lock or statement timeout)
     */
    public AppliedHistory read(Connection c, String schema, String table)
            throws HistoryNotFoundException, HistoryUnreadableException, SQLException {
        try (ReadSession session = ReadSession.begin(c, LOCK_TIMEOUT, STATEMENT_TIMEOUT)) {
            return read(session, schema, table);
        }
    }

    /**
     * Reads the table inside a read session the caller opened (the audit's, so the version table is
     * read in the same snapshot and under the same {@code lock_timeout} and {@code statement_timeout}
     * as the catalog). A refused read (SQLState 42501) is rolled back to a savepoint, so the session
     * goes on; the session stays open.
     *
     * @param session an open read session on the audited database
     * @param schema  schema of the table, or null for the role's {@code current_schema()} (as
     *                {@link io.driftwatch.dialect.ServerFacts#currentSchema()} read it)
     * @param table   table name, or null for {@value #DEFAULT_TABLE}
     * @return the rows, by {@code installed_rank}
     * @throws HistoryNotFoundException   as {@link #read(Connection, String, String)}
     * @throws HistoryUnreadableException as {@link #read(Connection, String, String)}
     * @throws SQLException               any other server error; the session is then unusable
     */
    public AppliedHistory read(TargetSession session, String schema, String table)
            throws HistoryNotFoundException, HistoryUnreadableException, SQLException {
        String t = table == null ? DEFAULT_TABLE : table;
        String role = session.serverFacts().currentUser();
        String sch = schema != null ? schema : session.serverFacts().currentSchema();
        Connection c = session.connection();
        if (sch == null || !exists(c, sch, t)) {
            throw new HistoryNotFoundException("no Flyway history in schema \"" + sch + "\" (table " + t
                    + " not found)");
        }
        List<String> missing = missingColumns(c, sch, t);
        if (!missing.isEmpty()) {
            throw new HistoryNotFoundException("version table " + Identifiers.quoteIfNeeded(sch) + "."
                    + Identifiers.quoteIfNeeded(t) + " is not a Flyway version table: it has no column "
                    + String.join(", ", missing) + " (Flyway's has " + String.join(", ", COLUMNS) + ")");
        }
        try {
            return new AppliedHistory(sch, t, session.guarded(() -> rows(c, sch, t)));
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                throw new HistoryUnreadableException(unreadable(e, sch, t, role), e);
            }
            throw e;
        }
    }

    private static boolean exists(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_catalog.pg_class r"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace"
                + " WHERE n.nspname = ? AND r.relname = ? AND r.relkind IN ('r', 'p', 'v', 'm', 'f')")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static List<AppliedMigration> rows(Connection c, String schema, String table) throws SQLException {
        String sql = "SELECT installed_rank, version, description, type, script, checksum, installed_by,"
                + " installed_on, execution_time, success FROM " + Identifiers.quote(schema) + "."
                + Identifiers.quote(table) + " ORDER BY installed_rank";
        List<AppliedMigration> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(new AppliedMigration(
                        intOr(rs.getObject(1), 0),
                        text(rs.getObject(2)),
                        text(rs.getObject(3)),
                        text(rs.getObject(4)),
                        text(rs.getObject(5)),
                        integer(rs.getObject(6)),
                        text(rs.getObject(7)),
                        timestamp(rs.getObject(8)),
                        intOr(rs.getObject(9), 0),
                        bool(rs.getObject(10)),
                        rs.getObject(10) == null));
            }
        }
        return out;
    }

    private static String unreadable(SQLException e, String schema, String table, String role) {
        String qualified = Identifiers.quoteIfNeeded(schema) + "." + Identifiers.quoteIfNeeded(table);
        String message = MigrationScanner.firstLine(e.getMessage()).replaceFirst("^ERROR: ", "");
        String grant = message.contains("for schema")
                ? "GRANT USAGE ON SCHEMA " + Identifiers.quoteIfNeeded(schema) + " TO "
                + Identifiers.quoteIfNeeded(role) + "; GRANT SELECT ON " + qualified + " TO " + Identifiers.quoteIfNeeded(role)
                : "GRANT SELECT ON " + qualified + " TO " + Identifiers.quoteIfNeeded(role);
        return "cannot read Flyway history table " + qualified + " as role " + role + " (" + message
                + "); run " + grant;
    }

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }

    private static Integer integer(Object o) {
        if (o instanceof Number n) {
            return n.intValue();
        }
        if (o != null) {
            try {
                return Integer.valueOf(o.toString().trim());
            } catch (NumberFormatException ignored) {
                return null;
            }
        }
        return null;
    }

    private static int intOr(Object o, int fallback) {
        Integer i = integer(o);
        return i == null ? fallback : i;
    }

    private static boolean bool(Object o) {
        if (o instanceof Boolean b) {
            return b;
        }
        return o != null && (o.toString().equalsIgnoreCase("t") || o.toString().equalsIgnoreCase("true"));
    }

    private static String timestamp(Object o) {
        if (o instanceof Timestamp ts) {
            return ts.toLocalDateTime().toString();
        }
        if (o instanceof OffsetDateTime odt) {
            return odt.toString();
        }
        return o == null ? null : o.toString();
    }

    private static List<String> missingColumns(Connection c, String schema, String table) throws SQLException {
        List<String> present = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname FROM pg_catalog.pg_attribute a"
                + " JOIN pg_catalog.pg_class r ON r.oid = a.attrelid"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace"
                + " WHERE n.nspname = ? AND r.relname = ? AND a.attnum > 0 AND NOT a.attisdropped")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    present.add(rs.getString(1));
                }
            }
        }
        return COLUMNS.stream().filter(col -> !present.contains(col)).toList();
    }
}
