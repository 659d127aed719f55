package io.driftwatch.rules;

import org.apache.calcite.DataContext;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.rules.JoinPushThroughJoinRule;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.runtime.Hook;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.type.SqlTypeName;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The only class that touches Apache Calcite: serves {@link RowSet}s as in-memory tables and runs
 * SQL rule queries over them. Loaded only by {@link SqlRuleSet#run}, so an audit without SQL rules
 * never loads Calcite (its first query costs seconds: planner, code generation with Janino).
 *
 * <p>SQL dialect: Calcite's, with PostgreSQL's identifier rules (unquoted names folded to lower
 * case, {@code "double quotes"} keep case, case-sensitive matching) and PostgreSQL's function library
 * enabled beside the standard one ({@code fun=standard,postgresql}: e.g. {@code STRING_AGG},
 * {@code ILIKE}, {@code SPLIT_PART}). Tables are exposed through {@link ScannableTable} because
 * Calcite's {@code ReflectiveSchema} cannot see Java records' fields.
 *
 * <p>Not thread-safe; one engine per rule run. Close it to release the connection.
 */
final class CalciteEngine implements AutoCloseable {

    /** Schema the tables live in (also the default schema of every query). */
    static final String SCHEMA = "driftwatch";

    private final Connection connection;

    /**
     * @param tables the tables queries may use
     * @throws SQLException when Calcite cannot open its connection
     */
    CalciteEngine(List<RowSet> tables) throws SQLException {
        Properties info = new Properties();
        info.setProperty(CalciteConnectionProperty.QUOTING.camelName(), "DOUBLE_QUOTE");
        info.setProperty(CalciteConnectionProperty.UNQUOTED_CASING.camelName(), "TO_LOWER");
        info.setProperty(CalciteConnectionProperty.QUOTED_CASING.camelName(), "UNCHANGED");
        info.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "true");
        info.setProperty(CalciteConnectionProperty.FUN.camelName(), "standard,postgresql");
        info.setProperty(CalciteConnectionProperty.CONFORMANCE.camelName(), "LENIENT");
        Connection c = new org.apache.calcite.jdbc.Driver().connect("jdbc:calcite:", info);
        CalciteConnection calcite = c.unwrap(CalciteConnection.class);
        SchemaPlus root = calcite.getRootSchema();
        SchemaPlus schema = root.add(SCHEMA, new AbstractSchema());
        for (RowSet t : tables) {
            schema.add(t.name(), new RowTable(t));
        }
        calcite.setSchema(SCHEMA);
        this.connection = c;
    }

    /**
     * Runs one query.
     *
     * @param sql a {@code SELECT} (or {@code WITH ... SELECT}, {@code VALUES}) over the tables
     * @return the column labels (as the query names them) and every row, values as JDBC returns them
     * @throws QueryException when the query does not parse, does not validate (unknown table or
     *         column, type error) or fails while running; with the 1-based line and column inside
     *         {@code sql} when Calcite knows them
     */
    Result query(String sql) throws QueryException {
        try (Hook.Closeable planner = Hook.PLANNER.addThread(CalciteEngine::withoutJoinReordering);
             Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> labels = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                labels.add(md.getColumnLabel(i));
            }
            List<Object[]> rows = new ArrayList<>();
            while (rs.next()) {
                Object[] row = new Object[labels.size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                rows.add(row);
            }
            return new Result(labels, rows);
        } catch (SQLException | RuntimeException e) {
            throw QueryException.from(e);
        }
    }

    /**
     * Calcite's default Volcano rules commute joins and push joins through joins, which explores
     * every join order: a rule joining four or five tables then plans for minutes (measured: a
     * five-way join over these tables did not finish in 15 minutes). Rules are written in a sensible
     * order over small in-memory tables, so they run in the order written.
     */
    private static void withoutJoinReordering(RelOptPlanner planner) {
        planner.removeRule(CoreRules.JOIN_COMMUTE);
        planner.removeRule(CoreRules.JOIN_ASSOCIATE);
        planner.removeRule(JoinPushThroughJoinRule.RIGHT);
        planner.removeRule(JoinPushThroughJoinRule.LEFT);
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    /**
     * @param columns column labels in order
     * @param rows    rows, one value per column
     */
    record Result(List<String> columns, List<Object[]> rows) {
    }

    /** A query Calcite rejected or could not run, with its position when known. */
    static final class QueryException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int line;
        private final int column;

        QueryException(String message, int line, int column, Throwable cause) {
            super(message, cause);
            this.line = line;
            this.column = column;
        }

        /** @return 1-based line inside the query, or 0 when unknown */
        int line() {
            return line;
        }

        /** @return 1-based column inside the query, or 0 when unknown */
        int column() {
            return column;
        }

        /** Finds the most precise cause Calcite gave: a validator position, a parser position, or the message. */
        static QueryException from(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof CalciteContextException cce) {
                    String msg = cce.getCause() != null ? cce.getCause().getMessage() : cce.getMessage();
                    return new QueryException(oneLine(msg), cce.getPosLine(), cce.getPosColumn(), e);
                }
                if (t instanceof SqlParseException spe) {
                    int line = spe.getPos() == null ? 0 : spe.getPos().getLineNum();
                    int col = spe.getPos() == null ? 0 : spe.getPos().getColumnNum();
                    return new QueryException(parseMessage(spe), line, col, e);
                }
            }
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return new QueryException(oneLine(String.valueOf(root.getMessage() != null ? root.getMessage() : root)),
                    0, 0, e);
        }

        /** Calcite's parse messages list every expected token; keep the first line. */
        private static String parseMessage(SqlParseException spe) {
            String m = spe.getMessage() == null ? "syntax error" : spe.getMessage();
            int expecting = m.indexOf("Was expecting");
            if (expecting > 0) {
                m = m.substring(0, expecting);
            }
            return oneLine(m);
        }

        /** One line, at most {@value #MAX_MESSAGE} characters (planner failures dump whole plans). */
        private static String oneLine(String m) {
            String line = m == null ? "error" : m.replaceAll("\\s+", " ").strip();
            return line.length() <= MAX_MESSAGE ? line : line.substring(0, MAX_MESSAGE) + " …";
        }

        private static final int MAX_MESSAGE = 300;
    }

    /** A {@link RowSet} as a Calcite table: row type from its columns, rows scanned from memory. */
    private static final class RowTable extends AbstractTable implements ScannableTable {
        private final RowSet rows;

        RowTable(RowSet rows) {
            this.rows = rows;
        }

        @Override
        public RelDataType getRowType(RelDataTypeFactory f) {
            RelDataTypeFactory.Builder b = f.builder();
            for (RowSet.Col c : rows.columns()) {
                SqlTypeName t = switch (c.type()) {
                    case TEXT -> SqlTypeName.VARCHAR;
                    case INTEGER -> SqlTypeName.INTEGER;
                    case BOOLEAN -> SqlTypeName.BOOLEAN;
                };
                b.add(c.name(), f.createTypeWithNullability(f.createSqlType(t), true));
            }
            return b.build();
        }

        @Override
        public Enumerable<Object[]> scan(DataContext root) {
            return Linq4j.asEnumerable(rows.rows());
        }
    }
}
