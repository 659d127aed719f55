package io.driftwatch.postgres.gate;

import io.driftwatch.model.Identifiers;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads the real sizes of live tables, so that a pending migration's hazards are judged at
 * production's scale (the rehearsal clone is structure-only and holds no rows).
 *
 * <p>One set-based catalog query for all tables: the requested names, passed as two text arrays and
 * {@code unnest}ed, joined to {@code pg_namespace} and {@code pg_class} (ordinary and partitioned
 * tables, {@code relkind} {@code r} / {@code p}). Rows come from {@code pg_class.reltuples}, the
 * estimate VACUUM and ANALYZE maintain (PostgreSQL docs, "pg_class": "-1 indicating that the row
 * count is unknown", PostgreSQL 14 and later, for a table never vacuumed or analyzed); bytes from
 * {@code pg_total_relation_size} (heap, TOAST and indexes). For a partitioned table both are summed
 * over its leaf partitions ({@code pg_partition_tree}); the parent's own {@code reltuples} is only
 * set by a manual ANALYZE (autovacuum skips partitioned tables).
 *
 * <p>When the estimate is unknown ({@code -1}) or zero, the table is counted instead, bounded:
 * {@code SELECT count(*) FROM (SELECT 1 FROM t LIMIT countCap + 1) s} reads at most
 * {@code countCap + 1} rows, so a huge never-analyzed table costs no more than the cap. Counting a
 * zero estimate too makes every reported {@code rows = 0} exact: a stale zero would hide a table
 * filled since its last ANALYZE. Each count runs under a savepoint: when it is refused (no SELECT
 * privilege on any column, SQLState {@code 42501}) or hits the lock or statement timeout
 * ({@code 55P03}, {@code 57014}) the size is reported with {@link RelationSize#UNKNOWN_ROWS} and the
 * other tables are still read. A role without any SELECT privilege on the table is not asked to
 * count at all.
 *
 * <p>Production is only read: everything runs in one READ ONLY transaction with
 * {@code lock_timeout} and {@code statement_timeout} set locally and {@code search_path} pinned to
 * {@code pg_catalog}; the transaction is rolled back and the connection's auto-commit and read-only
 * states are restored. {@code pg_total_relation_size} and the count take an ACCESS SHARE lock on the
 * table (they wait only behind an ACCESS EXCLUSIVE lock, i.e. DDL in progress, and give up at the
 * lock timeout).
 */
public final class RelationSizes {

    /** {@code lock_timeout} of {@link #read(Connection, Collection, long)}: 5 seconds. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(5);

    /** {@code statement_timeout} of {@link #read(Connection, Collection, long)}: 30 seconds. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);

    private static final Set<String> COUNT_GIVES_UP = Set.of("42501", "55P03", "57014");

    // the catalog part: one statement for every requested table
    private static final String SIZES = """
            SELECT w.ord,
                   c.relname,
                   CASE WHEN c.relkind = 'p' THEN
                        (SELECT CASE WHEN count(*) = 0 THEN 0
                                     WHEN bool_or(l.reltuples < 0) THEN -1
                                     ELSE sum(l.reltuples) END
                           FROM pg_catalog.pg_partition_tree(c.oid) t
                           JOIN pg_catalog.pg_class l ON l.oid = t.relid
                          WHERE t.isleaf)
                        ELSE c.reltuples END::float8 AS reltuples,
                   CASE WHEN c.relkind = 'p' THEN
                        (SELECT coalesce(sum(pg_catalog.pg_total_relation_size(t.relid)), 0)
                           FROM pg_catalog.pg_partition_tree(c.oid) t)
                        ELSE pg_catalog.pg_total_relation_size(c.oid) END::int8 AS bytes,
                   pg_catalog.has_any_column_privilege(c.oid, 'SELECT') AS readable
              FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS w(schema_name, table_name, ord)
              JOIN pg_catalog.pg_namespace n ON n.nspname = w.schema_name
              JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = w.table_name
                   AND c.relkind IN ('r', 'p')
             ORDER BY w.ord
            """;

    private RelationSizes() {
    }

    /**
     * {@link #read(Connection, Collection, long, Duration, Duration)} with
     * {@link #DEFAULT_LOCK_TIMEOUT} (5 s) and {@link #DEFAULT_STATEMENT_TIMEOUT} (30 s).
     *
     * @param live     connection to the live (production) database, not inside a transaction
     * @param tables   tables to measure, refs of kind {@link ObjectKind#TABLE} with a schema
     * @param countCap most rows a fallback count reads, {@code 0 <= countCap < Long.MAX_VALUE}; choose
     *                 it at least as large as the "large table" threshold so a capped count still
     *                 tells large from small
     * @return sizes by table ref, in the order of {@code tables}; tables the live database lacks are absent
     * @throws SQLException             when the connection is inside a transaction (the driver refuses to
     *                                  switch it to read-only), or the catalog query fails (lock or
     *                                  statement timeout, lost connection)
     * @throws IllegalArgumentException for a ref that is not a table with a schema, or a bad cap
     */
    public static Map<ObjectRef, RelationSize> read(Connection live, Collection<ObjectRef> tables, long countCap)
            throws SQLException {
        return read(live, tables, countCap, DEFAULT_LOCK_TIMEOUT, DEFAULT_STATEMENT_TIMEOUT);
    }

    /**
     * Reads the sizes of {@code tables} in one READ ONLY transaction (see the class comment).
     *
     * @param live             connection to the live (production) database, not inside a
     *                         transaction; its auto-commit and read-only states are restored
     * @param tables           tables to measure, refs of kind {@link ObjectKind#TABLE} with a schema;
     *                         duplicates are read once
     * @param countCap         most rows a fallback count reads, {@code 0 <= countCap < Long.MAX_VALUE};
     *                         a count that reaches it reports {@code countCap + 1}
     * @param lockTimeout      {@code lock_timeout}, 1 ms to {@value Integer#MAX_VALUE} ms
     * @param statementTimeout {@code statement_timeout} for each statement, same range
     * @return sizes by table ref, in the order of {@code tables}; tables the live database lacks
     *         (or that are views, foreign tables, ...) are absent
     * @throws SQLException             as {@link #read(Connection, Collection, long)}
     * @throws IllegalArgumentException for a ref that is not a table with a schema, a bad cap or a
     *                                  timeout outside the range
     */
    public static Map<ObjectRef, RelationSize> read(Connection live, Collection<ObjectRef> tables, long countCap,
                                                    Duration lockTimeout, Duration statementTimeout)
            throws SQLException {
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(tables, "tables");
        if (countCap < 0 || countCap == Long.MAX_VALUE) {
            throw new IllegalArgumentException("countCap must be between 0 and " + (Long.MAX_VALUE - 1)
                    + ", got " + countCap);
        }
        long lockMs = millis(lockTimeout, "lockTimeout");
        long statementMs = millis(statementTimeout, "statementTimeout");
        List<ObjectRef> refs = new ArrayList<>();
        for (ObjectRef r : tables) {
            if (r == null || r.kind() != ObjectKind.TABLE || r.schema() == null) {
                throw new IllegalArgumentException("not a table with a schema: " + r);
            }
            if (!refs.contains(r)) {
                refs.add(r);
            }
        }
        if (refs.isEmpty()) {
            return Map.of();
        }

        boolean previousAutoCommit = live.getAutoCommit();
        boolean previousReadOnly = live.isReadOnly();
        live.setAutoCommit(false);
        try {
            live.setReadOnly(true);
        } catch (SQLException e) {
            restoreQuietly(() -> live.setAutoCommit(previousAutoCommit), e);
            throw e;
        }
        Map<ObjectRef, RelationSize> out;
        try {
            try (Statement s = live.createStatement()) {
                // numbers only: nothing user-supplied is spliced into the text
                s.execute("SET TRANSACTION READ ONLY; SET LOCAL lock_timeout = " + lockMs
                        + "; SET LOCAL statement_timeout = " + statementMs + "; SET LOCAL search_path = pg_catalog");
            }
            out = readSizes(live, refs, countCap);
        } catch (Throwable e) {
            restoreQuietly(live::rollback, e);
            restoreQuietly(() -> live.setReadOnly(previousReadOnly), e);
            restoreQuietly(() -> live.setAutoCommit(previousAutoCommit), e);
            throw e;
        }
        live.rollback();
        live.setReadOnly(previousReadOnly);
        live.setAutoCommit(previousAutoCommit);
        return out;
    }

    private record Row(ObjectRef ref, double reltuples, long bytes, boolean readable) {
    }

    private static Map<ObjectRef, RelationSize> readSizes(Connection c, List<ObjectRef> refs, long countCap)
            throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SIZES)) {
            Array schemas = c.createArrayOf("text", refs.stream().map(ObjectRef::schema).toArray());
            Array names = c.createArrayOf("text", refs.stream().map(ObjectRef::name).toArray());
            ps.setArray(1, schemas);
            ps.setArray(2, names);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectRef ref = refs.get(rs.getInt("ord") - 1);
                    rows.add(new Row(ref, rs.getDouble("reltuples"), rs.getLong("bytes"), rs.getBoolean("readable")));
                }
            }
        }
        Map<ObjectRef, RelationSize> out = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.reltuples() >= 1) {
                out.put(r.ref(), new RelationSize(Math.round(r.reltuples()), r.bytes(), true));
            } else {
                out.put(r.ref(), new RelationSize(r.readable() ? count(c, r.ref(), countCap)
                        : RelationSize.UNKNOWN_ROWS, r.bytes(), false));
            }
        }
        return out;
    }

    /** @return rows of the table up to {@code cap + 1}, or {@link RelationSize#UNKNOWN_ROWS} when refused */
    private static long count(Connection c, ObjectRef table, long cap) throws SQLException {
        String sql = "SELECT pg_catalog.count(*) FROM (SELECT 1 FROM " + Identifiers.quote(table.schema()) + "."
                + Identifiers.quote(table.name()) + " LIMIT ?) s";
        Savepoint sp = c.setSavepoint();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, cap + 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long n = rs.getLong(1);
                c.releaseSavepoint(sp);
                return n;
            }
        } catch (SQLException e) {
            if (!COUNT_GIVES_UP.contains(e.getSQLState())) {
                throw e;
            }
            c.rollback(sp);
            return RelationSize.UNKNOWN_ROWS;
        }
    }

    private static long millis(Duration d, String name) {
        Objects.requireNonNull(d, name);
        long ms;
        try {
            ms = d.toMillis();
        } catch (ArithmeticException e) {
            ms = Long.MAX_VALUE;
        }
        if (ms < 1 || ms > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be between 1 ms and " + Integer.MAX_VALUE
                    + " ms, got " + d);
        }
        return ms;
    }

    private interface SqlAction {
        void run() throws SQLException;
    }

    private static void restoreQuietly(SqlAction action, Throwable primary) {
        try {
            action.run();
        } catch (SQLException | RuntimeException e) {
            primary.addSuppressed(e);
        }
    }
}
