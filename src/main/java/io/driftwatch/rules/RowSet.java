package io.driftwatch.rules;

import java.util.List;
import java.util.Objects;

/**
 * One table SQL rules can query, as plain Java data (no Calcite types): its name, typed columns and
 * rows. Built by {@link RuleTables}; served to queries by {@link CalciteEngine}.
 *
 * @param name    table name as rules write it, lower case (e.g. {@code columns})
 * @param columns column definitions in order
 * @param rows    rows; each array has one value per column, of the Java class its {@link Type}
 *                names, or null
 */
public record RowSet(String name, List<Col> columns, List<Object[]> rows) {

    public RowSet {
        Objects.requireNonNull(name, "name");
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        for (Object[] row : rows) {
            if (row.length != columns.size()) {
                throw new IllegalArgumentException(name + ": row of " + row.length + " values for "
                        + columns.size() + " columns");
            }
        }
    }

    /** SQL column types used by the rule tables, with the Java class a value of each has. */
    public enum Type {
        /** {@code VARCHAR}, values {@link String} */
        TEXT,
        /** {@code INTEGER}, values {@link Integer} */
        INTEGER,
        /** {@code BOOLEAN}, values {@link Boolean} */
        BOOLEAN
    }

    /**
     * @param name        column name, lower case
     * @param type        SQL type
     * @param description one line for {@code docs/sql-rules.md}
     */
    public record Col(String name, Type type, String description) {
    }

    /** @return the column names, in order */
    public List<String> columnNames() {
        return columns.stream().map(Col::name).toList();
    }
}
