package io.driftwatch.postgres.gate;

import io.driftwatch.model.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Finds migration activity happening right now on the server, so {@code driftwatch gate} can refuse
 * to rehearse while another deploy is changing the schema. Only reads {@code pg_locks},
 * {@code pg_stat_activity}, {@code pg_stat_progress_create_index} and
 * {@code pg_stat_progress_cluster}, in a READ ONLY transaction that is rolled back.
 *
 * <p>Two kinds of activity are reported, for the connection's current database only:
 * <ul>
 *   <li><b>Flyway's migration lock.</b> Flyway (13.x, {@code flyway-database-postgresql},
 *       {@code PostgreSQLConnection.lock} and {@code PostgreSQLAdvisoryLockTemplate}) serialises
 *       migrations with an advisory lock ({@code pg_try_advisory_xact_lock} by default,
 *       {@code pg_try_advisory_lock} when {@code postgresql.transactional.lock=false} or for a
 *       non-transactional migration) on the bigint key {@link #flywayLockKey(String, String)}. A
 *       bigint advisory key shows in {@code pg_locks} as {@code classid} = high 32 bits,
 *       {@code objid} = low 32 bits, {@code objsubid = 1} (PostgreSQL manual, "pg_locks").</li>
 *   <li><b>DDL on the audited schemas</b> by other client backends: an active statement whose text
 *       starts (after comments) with {@code ALTER}, {@code CREATE [UNIQUE] INDEX}, {@code DROP},
 *       {@code REINDEX}, {@code CLUSTER}, {@code VACUUM FULL} or {@code REFRESH MATERIALIZED VIEW}, or
 *       a backend listed in {@code pg_stat_progress_create_index} / {@code pg_stat_progress_cluster};
 *       and any backend holding or awaiting an {@code AccessExclusiveLock} on a relation of those
 *       schemas. A DDL statement counts when it holds or awaits a lock on a relation or schema among
 *       the audited ones, or when none of its locks names a non-system schema (it cannot be told
 *       apart, so it is reported rather than missed).</li>
 * </ul>
 */
public final class InFlightCheck {

    /** {@code lock_timeout} of the read transaction, in milliseconds. */
    static final int LOCK_TIMEOUT_MILLIS = 1_000;
    /** {@code statement_timeout} of the read transaction, in milliseconds. */
    static final int STATEMENT_TIMEOUT_MILLIS = 5_000;
    /** Longest query excerpt in a line, in characters. */
    static final int QUERY_CHARS = 120;

    /**
     * Flyway's {@code LOCK_MAGIC_NUM}: the ASCII bytes of "Flyway" packed into a long
     * ({@code (0x46L << 40) + (0x6CL << 32) + (0x79L << 24) + (0x77 << 16) + (0x61 << 8) + 0x79}).
     */
    static final long FLYWAY_LOCK_MAGIC = 77_431_708_279_161L;

    private static final Pattern DDL = Pattern.compile(
            "^(?:\\s+|--[^\\n]*(?:\\n|$)|/\\*.*?\\*/)*"
                    + "(?:ALTER|DROP|REINDEX|CLUSTER|CREATE\\s+(?:UNIQUE\\s+)?INDEX"
                    + "|VACUUM\\s*(?:\\([^)]*\\bFULL\\b|FULL)|REFRESH\\s+MATERIALIZED\\s+VIEW)\\b",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern PASSWORD_LITERAL = Pattern.compile("(?i)(PASSWORD\\s+)'(?:[^']|'')*(?:'|$)");
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT);

    private static final String CURRENT_DB =
            "(SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database())";

    private static final String FLYWAY_SQL = "SELECT l.pid, l.granted, a.usename, a.application_name,"
            + " coalesce(a.xact_start, a.backend_start) AS since"
            + " FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid"
            + " WHERE l.locktype = 'advisory' AND l.objsubid = 1"
            + " AND l.classid::pg_catalog.int8 = ? AND l.objid::pg_catalog.int8 = ?"
            + " AND l.database = " + CURRENT_DB
            + " AND l.pid IS DISTINCT FROM pg_catalog.pg_backend_pid()"
            + " ORDER BY l.granted DESC, l.pid";

    private static final String ACTIVITY_SQL = "SELECT a.pid, a.usename, a.application_name, a.state, a.query,"
            + " extract(epoch FROM pg_catalog.clock_timestamp() - CASE WHEN a.state = 'active' THEN a.query_start"
            + " WHEN a.state LIKE 'idle in transaction%' THEN a.xact_start ELSE a.state_change END) AS seconds"
            + " FROM pg_catalog.pg_stat_activity a"
            + " WHERE a.datid = " + CURRENT_DB + " AND a.pid <> pg_catalog.pg_backend_pid()"
            + " AND a.backend_type = 'client backend'";

    // locks on relations (schema known when the relation is visible to us) and on schemas themselves
    private static final String LOCKS_SQL = "SELECT l.pid, l.mode, l.granted, n.nspname, c.relname"
            + " FROM pg_catalog.pg_locks l"
            + " LEFT JOIN pg_catalog.pg_class c ON c.oid = l.relation"
            + " LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE l.locktype = 'relation' AND l.database = " + CURRENT_DB
            + " AND l.pid <> pg_catalog.pg_backend_pid()"
            + " UNION ALL"
            + " SELECT l.pid, l.mode, l.granted, n.nspname, NULL"
            + " FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_namespace n ON n.oid = l.objid"
            + " WHERE l.locktype = 'object' AND l.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass"
            + " AND l.database = " + CURRENT_DB + " AND l.pid <> pg_catalog.pg_backend_pid()";

    private static final String PROGRESS_SQL = "SELECT p.pid, p.command, p.phase, n.nspname, c.relname"
            + " FROM pg_catalog.pg_stat_progress_create_index p"
            + " LEFT JOIN pg_catalog.pg_class c ON c.oid = p.relid"
            + " LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE p.datid = " + CURRENT_DB + " AND p.pid <> pg_catalog.pg_backend_pid()"
            + " UNION ALL"
            + " SELECT p.pid, p.command, p.phase, n.nspname, c.relname"
            + " FROM pg_catalog.pg_stat_progress_cluster p"
            + " LEFT JOIN pg_catalog.pg_class c ON c.oid = p.relid"
            + " LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE p.datid = " + CURRENT_DB + " AND p.pid <> pg_catalog.pg_backend_pid()";

    private InFlightCheck() {
    }

    /**
     * Lists migration activity happening now in the connection's database (see the class comment
     * for what counts), one human line each, Flyway's lock first, then DDL by pid.
     *
     * <p>Line shapes:
     * <ul>
     *   <li>{@code Flyway's lock on public.flyway_schema_history is held by pid 4242 (deployer,
     *       application "Flyway by Redgate", since 2026-11-21 10:02:11 UTC)} ({@code is awaited by}
     *       for a Flyway run queued behind it; since = transaction start, else connection start)</li>
     *   <li>{@code DDL in progress: pid 4243 (app, application "psql", active for 12 s, waiting for
     *       ShareLock on public.orders): CREATE INDEX orders_email ON orders (email)}</li>
     *   <li>{@code AccessExclusiveLock on public.orders held by pid 4244 (app, idle in transaction for
     *       5 s): LOCK TABLE orders IN ACCESS EXCLUSIVE MODE}</li>
     * </ul>
     * The query is the backend's current (or, when idle, last) statement on one line, at most
     * {@value #QUERY_CHARS} characters, {@code PASSWORD '...'} literals masked. A role without
     * {@code pg_read_all_stats} cannot see other roles' queries; the line says so, and DDL
     * recognised only by its text is then missed (locks and progress views still show it).
     *
     * <p>Runs in a READ ONLY transaction with {@code lock_timeout} {@value #LOCK_TIMEOUT_MILLIS} ms and
     * {@code statement_timeout} {@value #STATEMENT_TIMEOUT_MILLIS} ms, rolled back; the connection's
     * auto-commit and read-only states are restored.
     *
     * @param conn          open connection to the audited database, not inside a transaction
     * @param historySchema schema of Flyway's version table (as Flyway resolved it, e.g. {@code public})
     * @param historyTable  name of Flyway's version table, e.g. {@code flyway_schema_history}
     * @param schemas       audited schemas for the DDL check; empty for every non-system schema
     *                      (all but {@code pg_catalog}, {@code information_schema}, {@code pg_toast},
     *                      {@code pg_temp_*}, {@code pg_toast_temp_*})
     * @return the lines, empty when nothing is in flight
     * @throws SQLException when the server refuses a query (SQLState {@code 55P03} lock timeout,
     *         {@code 57014} statement timeout) or the connection is inside a transaction
     */
    public static List<String> running(Connection conn, String historySchema, String historyTable,
                                       List<String> schemas) throws SQLException {
        Objects.requireNonNull(historySchema, "historySchema");
        Objects.requireNonNull(historyTable, "historyTable");
        Objects.requireNonNull(schemas, "schemas");
        return readOnly(conn, () -> {
            List<String> lines = new ArrayList<>(flywayLock(conn, historySchema, historyTable));
            lines.addAll(ddl(conn, schemas));
            return lines;
        });
    }

    /**
     * Flyway's lock only (the first kind of activity of the class comment), in its own READ ONLY
     * transaction as {@link #running} reads it.
     *
     * @param conn          open connection to the audited database, not inside a transaction
     * @param historySchema schema of Flyway's version table
     * @param historyTable  name of Flyway's version table
     * @return one line per holder or waiter, empty when none
     * @throws SQLException as {@link #running}
     */
    public static List<String> flywayLockHolders(Connection conn, String historySchema, String historyTable)
            throws SQLException {
        return readOnly(conn, () -> flywayLock(conn, historySchema, historyTable));
    }

    /**
     * DDL on the audited schemas only (the second kind of activity of the class comment), in its own
     * READ ONLY transaction as {@link #running} reads it.
     *
     * @param conn    open connection to the audited database, not inside a transaction
     * @param schemas audited schemas; empty for every non-system schema
     * @return one line per backend, empty when none
     * @throws SQLException as {@link #running}
     */
    public static List<String> ddlInProgress(Connection conn, List<String> schemas) throws SQLException {
        return readOnly(conn, () -> ddl(conn, schemas));
    }

    /**
     * Holders and waiters of a lock on one relation (e.g. {@code alembic_version} while
     * {@code alembic upgrade} runs in its transaction), by other backends of this database, in its own
     * READ ONLY transaction.
     *
     * @param conn     open connection to the audited database, not inside a transaction
     * @param schema   the relation's schema
     * @param relation the relation's name
     * @param what     how to name the relation in the lines, e.g. {@code Alembic's version table}
     * @return one line per backend, e.g. {@code RowExclusiveLock on public.alembic_version held by pid 42 (app, active for 3 s): UPDATE ...}
     * @throws SQLException as {@link #running}
     */
    public static List<String> relationLockHolders(Connection conn, String schema, String relation, String what)
            throws SQLException {
        return readOnly(conn, () -> {
            Map<Integer, Backend> backends = backends(conn);
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = conn.prepareStatement("SELECT l.pid, l.mode, l.granted"
                    + " FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_class c ON c.oid = l.relation"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE l.locktype = 'relation' AND l.database = " + CURRENT_DB
                    + " AND l.pid <> pg_catalog.pg_backend_pid() AND n.nspname = ? AND c.relname = ?"
                    + " AND l.mode <> 'AccessShareLock' ORDER BY l.pid, l.granted DESC")) {
                ps.setString(1, schema);
                ps.setString(2, relation);
                try (ResultSet rs = ps.executeQuery()) {
                    Set<Integer> seen = new LinkedHashSet<>();
                    while (rs.next()) {
                        int pid = rs.getInt("pid");
                        if (!seen.add(pid)) {
                            continue;
                        }
                        Backend b = backends.getOrDefault(pid, new Backend(pid, null, null, null, null, null));
                        out.add(rs.getString("mode") + " on " + what + " " + Identifiers.qualified(schema, relation)
                                + (rs.getBoolean("granted") ? " held by " : " awaited by ") + who(b, List.of())
                                + ": " + query(b.query()));
                    }
                }
            }
            return out;
        });
    }

    @FunctionalInterface
    private interface Work {
        List<String> run() throws SQLException;
    }

    /** Runs {@code work} in a READ ONLY transaction with short timeouts, rolled back; states restored. */
    private static List<String> readOnly(Connection conn, Work work) throws SQLException {
        Objects.requireNonNull(conn, "conn");
        boolean previousAutoCommit = conn.getAutoCommit();
        boolean previousReadOnly = conn.isReadOnly();
        conn.setAutoCommit(false);
        try {
            conn.setReadOnly(true);
        } catch (SQLException e) {
            // inside the caller's transaction: leave it untouched
            try {
                conn.setAutoCommit(previousAutoCommit);
            } catch (SQLException restore) {
                e.addSuppressed(restore);
            }
            throw e;
        }
        try {
            try (Statement s = conn.createStatement()) {
                // numbers only: nothing user-supplied is spliced into the text
                s.execute("SET TRANSACTION READ ONLY; SET LOCAL lock_timeout = " + LOCK_TIMEOUT_MILLIS
                        + "; SET LOCAL statement_timeout = " + STATEMENT_TIMEOUT_MILLIS);
            }
            return work.run();
        } finally {
            try {
                conn.rollback();
            } finally {
                try {
                    conn.setReadOnly(previousReadOnly);
                } finally {
                    conn.setAutoCommit(previousAutoCommit);
                }
            }
        }
    }

    /**
     * The advisory-lock key Flyway uses for a version table on PostgreSQL:
     * {@code 77431708279161 + ("\"" + schema + "\".\"" + table + "\"").hashCode()}, identifiers
     * always double-quoted with embedded quotes doubled. Source: {@code flyway-database-postgresql}
     * 13.12.0, {@code PostgreSQLConnection.lock(Table, Callable)} passes {@code table.toString().hashCode()}
     * (SchemaObject.toString() = {@code Database.quote(schema, name)}, PostgreSQL quotes with
     * {@code "} and escapes as {@code ""}) to {@code PostgreSQLAdvisoryLockTemplate}, whose
     * {@code lockNum = LOCK_MAGIC_NUM + discriminator}.
     *
     * @param schema schema of the version table, exactly as stored (case-sensitive)
     * @param table  name of the version table, exactly as stored
     * @return the bigint key passed to {@code pg_try_advisory_xact_lock} / {@code pg_try_advisory_lock}
     */
    public static long flywayLockKey(String schema, String table) {
        String quoted = Identifiers.quote(schema) + "." + Identifiers.quote(table);
        return FLYWAY_LOCK_MAGIC + quoted.hashCode();
    }

    private static List<String> flywayLock(Connection c, String schema, String table) throws SQLException {
        long key = flywayLockKey(schema, table);
        String name = Identifiers.qualified(schema, table);
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(FLYWAY_SQL)) {
            ps.setLong(1, key >>> 32);
            ps.setLong(2, key & 0xFFFF_FFFFL);
            try (ResultSet rs = ps.executeQuery()) {
                Set<String> seen = new LinkedHashSet<>();
                while (rs.next()) {
                    int pid = rs.getInt("pid");
                    boolean pidKnown = !rs.wasNull();
                    boolean granted = rs.getBoolean("granted");
                    if (!seen.add(pid + "/" + granted)) {
                        continue; // the same session holds the key both per transaction and per session
                    }
                    String who;
                    if (!pidKnown) {
                        who = "a prepared transaction";
                    } else {
                        List<String> details = new ArrayList<>();
                        addIfPresent(details, rs.getString("usename"), null);
                        addIfPresent(details, rs.getString("application_name"), "application ");
                        OffsetDateTime since = rs.getObject("since", OffsetDateTime.class);
                        if (since != null) {
                            details.add("since " + UTC.format(since.withOffsetSameInstant(ZoneOffset.UTC)));
                        }
                        who = "pid " + pid + (details.isEmpty() ? "" : " (" + String.join(", ", details) + ")");
                    }
                    out.add("Flyway's lock on " + name + " is " + (granted ? "held" : "awaited") + " by " + who);
                }
            }
        }
        return out;
    }

    private static void addIfPresent(List<String> details, String value, String label) {
        if (value == null || value.isBlank()) {
            return;
        }
        details.add(label == null ? value : label + "\"" + value + "\"");
    }

    private record Backend(int pid, String user, String application, String state, String query, Double seconds) {
    }

    private record Lock(String mode, boolean granted, String schema, String relation) {
        String target() {
            return relation == null ? "schema " + Identifiers.quoteIfNeeded(schema)
                    : Identifiers.qualified(schema, relation);
        }
    }

    private record Progress(String command, String phase, String schema, String relation) {
    }

    private static Map<Integer, Backend> backends(Connection c) throws SQLException {
        Map<Integer, Backend> backends = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(ACTIVITY_SQL)) {
            while (rs.next()) {
                double secs = rs.getDouble("seconds");
                Double seconds = rs.wasNull() ? null : secs;
                backends.put(rs.getInt("pid"), new Backend(rs.getInt("pid"), rs.getString("usename"),
                        rs.getString("application_name"), rs.getString("state"), rs.getString("query"), seconds));
            }
        }
        return backends;
    }

    private static List<String> ddl(Connection c, List<String> schemas) throws SQLException {
        Set<String> audited = Set.copyOf(schemas);
        Map<Integer, Backend> backends = backends(c);
        Map<Integer, List<Lock>> locks = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(LOCKS_SQL)) {
            while (rs.next()) {
                locks.computeIfAbsent(rs.getInt("pid"), k -> new ArrayList<>()).add(new Lock(rs.getString("mode"),
                        rs.getBoolean("granted"), rs.getString("nspname"), rs.getString("relname")));
            }
        }
        Map<Integer, List<Progress>> progress = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(PROGRESS_SQL)) {
            while (rs.next()) {
                progress.computeIfAbsent(rs.getInt("pid"), k -> new ArrayList<>()).add(new Progress(
                        rs.getString("command"), rs.getString("phase"), rs.getString("nspname"), rs.getString("relname")));
            }
        }
        List<String> out = new ArrayList<>();
        for (Backend b : backends.values()) {
            List<Lock> mine = locks.getOrDefault(b.pid(), List.of());
            List<Lock> inScope = mine.stream().filter(l -> l.schema() != null && inScope(l.schema(), audited)).toList();
            boolean namesUserSchema = mine.stream().anyMatch(l -> l.schema() != null && !isSystem(l.schema()));
            List<Progress> prog = progress.getOrDefault(b.pid(), List.of()).stream()
                    .filter(p -> p.schema() == null || inScope(p.schema(), audited)).toList();
            boolean ddlText = "active".equals(b.state()) && b.query() != null && DDL.matcher(b.query()).find();
            boolean isDdl = (ddlText && (!inScope.isEmpty() || !namesUserSchema)) || !prog.isEmpty();
            List<Lock> exclusive = inScope.stream()
                    .filter(l -> l.relation() != null && "AccessExclusiveLock".equals(l.mode())).toList();
            if (isDdl) {
                List<String> notes = new ArrayList<>();
                for (Progress p : prog) {
                    notes.add(p.command() + " phase \"" + p.phase() + "\""
                            + (p.relation() == null ? "" : " on " + Identifiers.qualified(p.schema(), p.relation())));
                }
                for (Lock l : inScope) {
                    if (!l.granted()) {
                        notes.add("waiting for " + l.mode() + " on " + l.target());
                    }
                }
                List<String> held = exclusive.stream().filter(Lock::granted).map(Lock::target).toList();
                if (!held.isEmpty()) {
                    notes.add("holding AccessExclusiveLock on " + few(held));
                }
                out.add("DDL in progress: " + who(b, notes) + ": " + query(b.query()));
            } else if (!exclusive.isEmpty()) {
                List<String> held = exclusive.stream().filter(Lock::granted).map(Lock::target).toList();
                List<String> awaited = exclusive.stream().filter(l -> !l.granted()).map(Lock::target).toList();
                String what = !held.isEmpty()
                        ? "AccessExclusiveLock on " + few(held) + " held by "
                        : "AccessExclusiveLock on " + few(awaited) + " awaited by ";
                out.add(what + who(b, List.of()) + ": " + query(b.query()));
            }
        }
        return out;
    }

    private static boolean inScope(String schema, Set<String> audited) {
        return audited.isEmpty() ? !isSystem(schema) : audited.contains(schema);
    }

    static boolean isSystem(String schema) {
        return schema.equals("pg_catalog") || schema.equals("information_schema") || schema.equals("pg_toast")
                || schema.startsWith("pg_temp_") || schema.startsWith("pg_toast_temp_");
    }

    private static String who(Backend b, List<String> notes) {
        List<String> details = new ArrayList<>();
        addIfPresent(details, b.user(), null);
        addIfPresent(details, b.application(), "application ");
        if (b.state() != null) {
            details.add(b.state() + (b.seconds() == null ? "" : " for " + duration(b.seconds())));
        }
        details.addAll(notes);
        return "pid " + b.pid() + (details.isEmpty() ? "" : " (" + String.join(", ", details) + ")");
    }

    private static String few(List<String> names) {
        List<String> distinct = List.copyOf(new LinkedHashSet<>(names));
        if (distinct.size() <= 3) {
            return String.join(", ", distinct);
        }
        return String.join(", ", distinct.subList(0, 3)) + " and " + (distinct.size() - 3) + " more";
    }

    /** @return {@code 850 ms}, {@code 12 s}, {@code 3 min 4 s} or {@code 2 h 5 min} */
    static String duration(double seconds) {
        if (seconds < 1) {
            return Math.max(0, Math.round(seconds * 1000)) + " ms";
        }
        long s = (long) seconds;
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }

    /** @return the statement on one line, at most {@value #QUERY_CHARS} characters, password literals masked */
    static String query(String q) {
        if (q == null || q.isBlank() || q.equals("<insufficient privilege>")) {
            return "(query not visible to this role; grant it pg_read_all_stats)";
        }
        String one = PASSWORD_LITERAL.matcher(q).replaceAll("$1'***'").replaceAll("\\s+", " ").trim();
        return one.length() <= QUERY_CHARS ? one : one.substring(0, QUERY_CHARS - 3) + "...";
    }
}
