package io.driftwatch.flyway;

import io.driftwatch.model.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;

/**
 * Writes a copy of a Flyway version table into a shadow database, so Flyway sees there the same
 * history as in the audited database (used by the stamp verifier and the gate's rehearsal).
 */
public final class FlywayHistoryTable {

    private FlywayHistoryTable() {
    }

    /**
     * Creates the version table in {@code history.schema()} (and the schema when missing) with the
     * columns, primary key and {@code success} index Flyway 13 gives it on PostgreSQL
     * ({@code createMetaDataTable.sql} of flyway-database-postgresql), and inserts every row as stored. A
     * column that holds a NULL in some row (a hand edit of a NOT NULL column) is created nullable, so the copy
     * holds the same rows.
     *
     * @param c       connection to a shadow database Driftwatch may write to (never the audited one)
     * @param history the rows to copy, by {@code installed_rank}
     * @throws SQLException when the table exists already or a row is rejected
     */
    public static void copy(Connection c, AppliedHistory history) throws SQLException {
        String schema = Identifiers.quote(history.schema());
        String table = schema + "." + Identifiers.quote(history.table());
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            s.execute("CREATE TABLE " + table + " (\n"
                    + "    installed_rank integer NOT NULL,\n"
                    + "    version varchar(50),\n"
                    + "    description varchar(200) NOT NULL,\n"
                    + "    type varchar(20) NOT NULL,\n"
                    + "    script varchar(1000) NOT NULL,\n"
                    + "    checksum integer,\n"
                    + "    installed_by varchar(100) NOT NULL,\n"
                    + "    installed_on timestamp NOT NULL DEFAULT now(),\n"
                    + "    execution_time integer NOT NULL,\n"
                    + "    success boolean NOT NULL,\n"
                    + "    CONSTRAINT " + Identifiers.quote(history.table() + "_pk") + " PRIMARY KEY (installed_rank))");
            s.execute("CREATE INDEX " + Identifiers.quote(history.table() + "_s_idx") + " ON " + table + " (success)");
            // a hand-edited table may hold NULLs where Flyway's has NOT NULL: copy them as they are
            for (String column : nullsIn(history)) {
                s.execute("ALTER TABLE " + table + " ALTER COLUMN " + column + " DROP NOT NULL");
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (installed_rank, version,"
                + " description, type, script, checksum, installed_by, installed_on, execution_time, success)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?::timestamp, ?, ?)")) {
            for (AppliedMigration r : history.rows()) {
                ps.setInt(1, r.installedRank());
                ps.setString(2, r.version());
                ps.setString(3, r.description());
                ps.setString(4, r.type());
                ps.setString(5, r.script());
                if (r.checksum() == null) {
                    ps.setNull(6, Types.INTEGER);
                } else {
                    ps.setInt(6, r.checksum());
                }
                ps.setString(7, r.installedBy());
                ps.setString(8, r.installedOn());
                ps.setInt(9, r.executionTime());
                if (r.successNull()) {
                    ps.setNull(10, Types.BOOLEAN);
                } else {
                    ps.setBoolean(10, r.success());
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static java.util.List<String> nullsIn(AppliedHistory history) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (history.rows().stream().anyMatch(r -> r.description() == null)) {
            out.add("description");
        }
        if (history.rows().stream().anyMatch(r -> r.type() == null)) {
            out.add("type");
        }
        if (history.rows().stream().anyMatch(r -> r.script() == null)) {
            out.add("script");
        }
        if (history.rows().stream().anyMatch(r -> r.installedBy() == null)) {
            out.add("installed_by");
        }
        if (history.rows().stream().anyMatch(r -> r.installedOn() == null)) {
            out.add("installed_on");
        }
        if (history.rows().stream().anyMatch(AppliedMigration::successNull)) {
            out.add("success");
        }
        return out;
    }
}
