package io.driftwatch.postgres.gate;

import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link ColumnRewrites} checked against the server itself: for each type change a one-row table
 * is altered and its {@code relfilenode} compared before and after (a rewrite gives the table a new
 * file). The session runs with a non-UTC {@code TimeZone}, where timestamp / timestamptz changes
 * rewrite, so {@link ColumnRewrites.Verdict#UNLESS_UTC} must match a rewrite here.
 */
class ColumnRewritesTest {

    /** from type, to type (as written in SQL; compared through format_type), sample value. */
    private static final String[][] CASES = {
            {"varchar(10)", "varchar(20)", "'a'"},
            {"varchar(10)", "varchar(10)", "'a'"},
            {"varchar(20)", "varchar(10)", "'a'"},
            {"varchar(10)", "varchar", "'a'"},
            {"varchar(10)", "text", "'a'"},
            {"varchar", "text", "'a'"},
            {"text", "varchar", "'a'"},
            {"text", "varchar(30)", "'a'"},
            {"char(5)", "text", "'a'"},
            {"char(5)", "char(8)", "'a'"},
            {"varchar(5)", "char(10)", "'a'"},
            {"numeric(10,2)", "numeric(12,2)", "1"},
            {"numeric(10,2)", "numeric", "1"},
            {"numeric(10,2)", "numeric(12,3)", "1"},
            {"numeric(10,2)", "numeric(8,2)", "1"},
            {"numeric", "numeric(12,2)", "1"},
            {"timestamp(3)", "timestamp(6)", "now()"},
            {"timestamp(3)", "timestamp", "now()"},
            {"timestamp", "timestamp(2)", "now()"},
            {"timestamptz(3)", "timestamptz", "now()"},
            {"time(3)", "time(6)", "now()"},
            {"timetz(3)", "timetz(6)", "now()"},
            {"timestamp", "timestamptz", "now()"},
            {"timestamptz", "timestamp", "now()"},
            {"interval", "interval(3)", "'1 day'"},
            {"bit varying(4)", "bit varying(8)", "'1'"},
            {"bit varying(4)", "bit varying", "'1'"},
            {"bit(4)", "bit varying", "'1010'"},
            {"cidr", "inet", "'10.0.0.0/8'"},
            {"xml", "text", "'<a/>'"},
            {"int", "bigint", "1"},
            {"bigint", "int", "1"},
            {"smallint", "int", "1"},
            {"int", "text", "1"},
            {"real", "double precision", "1"},
            {"varchar(5)[]", "varchar(10)[]", "'{a}'"},
            {"uuid", "text", "gen_random_uuid()"},
            {"json", "jsonb", "'{}'"},
            {"text", "public.dom_text", "'a'"},
    };

    @Test
    void verdictMatchesWhatPostgresDoes() throws SQLException {
        List<String> wrong = new ArrayList<>();
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'Europe/Paris'");
            s.execute("CREATE DOMAIN public.dom_text AS text CHECK (VALUE <> '')");
            for (int i = 0; i < CASES.length; i++) {
                String[] k = CASES[i];
                String t = "t" + i;
                s.execute("CREATE TABLE " + t + " (c " + k[0] + ")");
                s.execute("INSERT INTO " + t + " VALUES (" + k[2] + ")");
                String from = formatType(s, t);
                long before = relfilenode(s, t);
                s.execute("ALTER TABLE " + t + " ALTER COLUMN c TYPE " + k[1] + (k[1].contains("[]") ? "" : " USING c::" + k[1]));
                String to = formatType(s, t);
                boolean rewritten = relfilenode(s, t) != before;
                ColumnRewrites.Verdict v = ColumnRewrites.typeChange(from, to);
                boolean predicted = v != ColumnRewrites.Verdict.NONE;
                if (predicted != rewritten) {
                    wrong.add(from + " -> " + to + ": predicted " + v + ", server " + (rewritten ? "rewrote" : "did not rewrite"));
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void timeZoneDependentChangesAreFlaggedAsSuch() {
        assertEquals(ColumnRewrites.Verdict.UNLESS_UTC,
                ColumnRewrites.typeChange("timestamp without time zone", "timestamp with time zone"));
        assertEquals(ColumnRewrites.Verdict.REWRITE,
                ColumnRewrites.typeChange("timestamp(6) with time zone", "timestamp(2) without time zone"));
        assertEquals(ColumnRewrites.Verdict.NONE, ColumnRewrites.typeChange("text", "text"));
        assertEquals(ColumnRewrites.Verdict.REWRITE, ColumnRewrites.typeChange("\"My Type\"", "text"));
    }

    private static String formatType(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                + " WHERE attrelid = '" + table + "'::regclass AND attname = 'c'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long relfilenode(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT relfilenode FROM pg_class WHERE oid = '" + table + "'::regclass")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
