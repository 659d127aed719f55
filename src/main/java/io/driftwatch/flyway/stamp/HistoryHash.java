package io.driftwatch.flyway.stamp;

import io.driftwatch.flyway.AppliedHistory;
import io.driftwatch.flyway.AppliedMigration;
import io.driftwatch.model.Identifiers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The fingerprint of a Flyway version table that a stamp script checks before it changes anything:
 * {@code md5} over every row's ten Flyway columns, rows ordered by {@code installed_rank}.
 *
 * <p>Row text: the columns in table order, each rendered by {@code quote_nullable} (so NULL is the
 * bare word {@code NULL} and text is a quoted literal: {@code ''} doubled, and when it holds a
 * backslash, doubled backslashes with an {@code E} prefix), {@code installed_on} formatted with
 * {@code to_char(..., 'YYYY-MM-DD HH24:MI:SS.US')} so the session's {@code DateStyle} and
 * {@code TimeZone} play no part, joined by {@code ,}; rows joined by {@code |}; an empty table hashes the
 * empty string. The same value is computed by the server ({@link #expression}, {@link #read}) and by
 * {@link #of(AppliedHistory)} in Java from the rows {@code FlywayHistoryReader} read, so the caller can
 * prove that the rows it planned from are the rows the guard will see. Text is hashed as UTF-8 (the
 * database encoding of every Flyway project we know; another encoding makes the two differ, which the
 * caller reports).
 */
public final class HistoryHash {

    private static final DateTimeFormatter INSTALLED_ON = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

    private HistoryHash() {
    }

    /**
     * @return the SQL expression (an aggregate over the table's columns, unqualified) that yields the hash,
     *         for {@code SELECT <expression> FROM <table>}
     */
    public static String expression() {
        return "md5(coalesce(string_agg(concat_ws(',', quote_nullable(installed_rank), quote_nullable(version),"
                + " quote_nullable(description), quote_nullable(type), quote_nullable(script),"
                + " quote_nullable(checksum), quote_nullable(installed_by),"
                + " quote_nullable(to_char(installed_on, 'YYYY-MM-DD HH24:MI:SS.US')),"
                + " quote_nullable(execution_time), quote_nullable(success)), '|' ORDER BY installed_rank), ''))";
    }

    /**
     * Computes the hash on the server, in a READ ONLY transaction that is rolled back (the connection's
     * auto-commit setting is restored).
     *
     * @param c      open connection
     * @param schema schema of the version table
     * @param table  version table name
     * @return 32 lower-case hex digits
     * @throws SQLException when the query fails
     */
    public static String read(Connection c, String schema, String table) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SET TRANSACTION READ ONLY");
            try (ResultSet rs = s.executeQuery("SELECT " + expression() + " FROM "
                    + Identifiers.quote(schema) + "." + Identifiers.quote(table))) {
                rs.next();
                return rs.getString(1);
            }
        } finally {
            try {
                c.rollback();
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    /**
     * Computes the same hash as {@link #expression()} from rows already read.
     *
     * @param history rows as read by {@code FlywayHistoryReader} ({@code installed_on} as ISO-8601 local
     *                date-time text)
     * @return 32 lower-case hex digits
     * @throws IllegalArgumentException when an {@code installed_on} text is not an ISO local date-time
     */
    public static String of(AppliedHistory history) {
        List<AppliedMigration> rows = new ArrayList<>(history.rows());
        rows.sort(Comparator.comparingInt(AppliedMigration::installedRank));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            if (i > 0) {
                sb.append('|');
            }
            AppliedMigration r = rows.get(i);
            sb.append(String.join(",", quote(String.valueOf(r.installedRank())), quote(r.version()),
                    quote(r.description()), quote(r.type()), quote(r.script()),
                    quote(r.checksum() == null ? null : r.checksum().toString()), quote(r.installedBy()),
                    quote(r.installedOn() == null ? null : installedOn(r.installedOn())),
                    quote(String.valueOf(r.executionTime())),
                    quote(r.successNull() ? null : String.valueOf(r.success()))));
        }
        try {
            byte[] d = MessageDigest.getInstance("MD5").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available in this JVM", e);
        }
    }

    /** PostgreSQL's {@code quote_nullable} of a value's text form. */
    static String quote(String v) {
        if (v == null) {
            return "NULL";
        }
        String q = "'" + v.replace("'", "''") + "'";
        if (v.indexOf('\\') >= 0) {
            return "E" + q.replace("\\", "\\\\");
        }
        return q;
    }

    private static String installedOn(String iso) {
        try {
            return LocalDateTime.parse(iso).format(INSTALLED_ON);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("installed_on '" + iso + "' is not an ISO local date-time", e);
        }
    }
}
