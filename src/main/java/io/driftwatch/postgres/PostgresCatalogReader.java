package io.driftwatch.postgres;

import io.driftwatch.dialect.CatalogReader;
import io.driftwatch.dialect.ConnectionOpener;
import io.driftwatch.model.SchemaFilter;
import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.Column;
import io.driftwatch.model.Constraint;
import io.driftwatch.model.EnumType;
import io.driftwatch.model.Identifiers;
import io.driftwatch.model.Index;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.model.Sequence;
import io.driftwatch.model.Table;
import io.driftwatch.model.UnmodelledObject;
import io.driftwatch.model.View;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The fast PostgreSQL {@link CatalogReader}: one set-based query over {@code pg_catalog} per object
 * kind (schemas, tables, columns, constraints, indexes, views, sequences, enums; see
 * {@link CatalogQuery}), eight statements whatever the catalog size, never a round trip per table.
 * All compared text comes from the server's deparsers ({@code format_type}, {@code pg_get_expr},
 * {@code pg_get_constraintdef}, {@code pg_get_indexdef}, {@code pg_get_viewdef(oid, true)},
 * {@code pg_get_partkeydef}). Works for PostgreSQL 12 and later (uses {@code attgenerated}).
 *
 * <p>Session discipline (the audited database is production): auto-commit off, read-only on,
 * then {@code SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY} (one snapshot for every
 * query), {@code SET LOCAL lock_timeout},
 * {@code SET LOCAL statement_timeout}, {@code SET LOCAL search_path = pg_catalog} (and
 * {@code SET LOCAL jit = off}), so every
 * deparsed name outside {@code pg_catalog} is schema-qualified identically on the live and the
 * shadow database (e.g. {@code nextval('public.orders_id_seq'::regclass)},
 * {@code public.order_status}). The transaction is always rolled back and the connection's
 * previous auto-commit and read-only states restored. Nothing is written.
 *
 * <p>Needs no privilege beyond CONNECT on the database: it reads only {@code pg_catalog} (never
 * {@code information_schema}, which hides objects the role does not own), so a role with CONNECT
 * and USAGE reads the same model as the owner.
 *
 * <p>What is left out: system schemas ({@code pg_catalog}, {@code information_schema},
 * {@code pg_toast*}, {@code pg_temp*}) and extension-owned schemas unless named in the filter;
 * objects belonging to an extension ({@code pg_depend.deptype = 'e'}); identity sequences; indexes
 * backing a primary key, unique or exclusion constraint; the Flyway version table with its columns,
 * constraints and indexes; everything an {@code --exclude} glob matches ({@code schema.name} for
 * tables, views, sequences and enums, {@code schema.table.child} for columns, constraints and
 * indexes, and a bare schema name for the schema itself).
 *
 * <p>Kinds beyond tables, views, sequences and enums are read as {@link CatalogObject}s by queries
 * in a generic column layout ({@link CatalogQuery.Use#OBJECTS}; privileges and owners only when the
 * filter asks for them): {@code object_kind} (an {@link ObjectKind} name), {@code schema_name}
 * (null for database-wide kinds), optional {@code parent_name} (owning table), {@code object_name};
 * for attached kinds (comments, privileges, owners) {@code target_kind}, {@code target_schema},
 * {@code target_parent}, {@code target_name} name the described object and {@code object_name} may
 * be null (the name is then the target's display text plus {@code name_suffix}). Every other column
 * is a compared attribute; all are text. Objects the reader meets but does not model come from
 * {@code unmodelled.sql} into {@link SchemaModel#notAudited()}.
 *
 * <p>Parallel read ({@link #read(Connection, SchemaFilter, ConnectionOpener, int, Consumer)}): the
 * same queries spread over several connections that share the first one's exported snapshot, as
 * {@code pg_dump -j} does ({@code pg_export_snapshot()}, {@code SET TRANSACTION SNAPSHOT}); each
 * connection's thread maps its rows, so server work and Java row decoding overlap on several
 * cores. The model is identical to the serial read's; the serial
 * {@link #read(Connection, SchemaFilter)} stays for callers holding one connection (shadow clones).
 *
 * <p>Stateless apart from its two timeouts; one instance may serve many threads (each with its
 * own connection).
 */
public final class PostgresCatalogReader implements CatalogReader {

    /** Default {@code lock_timeout}: 5 seconds. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(5);

    /** Default {@code statement_timeout}: 120 seconds. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(120);

    /** Connections a parallel read uses unless told otherwise: 2 (measured best on 2 cores, docs/benchmarks.md). */
    public static final int DEFAULT_CONNECTIONS = 2;

    /** Most connections one parallel read may use: 8. */
    public static final int MAX_CONNECTIONS = 8;

    private final long lockTimeoutMillis;
    private final long statementTimeoutMillis;

    /**
     * @param lockTimeout      {@code lock_timeout} for the read transaction; 1 ms to
     *                         {@value Integer#MAX_VALUE} ms (PostgreSQL's limit)
     * @param statementTimeout {@code statement_timeout} for each catalog query; same range
     * @throws IllegalArgumentException when a timeout is zero, negative, below one millisecond or
     *                                  above {@value Integer#MAX_VALUE} ms (zero would disable the
     *                                  timeout, which the safety rules of DESIGN.md forbid)
     * @throws NullPointerException     when a timeout is null
     */
    public PostgresCatalogReader(Duration lockTimeout, Duration statementTimeout) {
        this.lockTimeoutMillis = millis(lockTimeout, "lockTimeout");
        this.statementTimeoutMillis = millis(statementTimeout, "statementTimeout");
    }

    /** A reader with {@link #DEFAULT_LOCK_TIMEOUT} (5 s) and {@link #DEFAULT_STATEMENT_TIMEOUT} (120 s). */
    public PostgresCatalogReader() {
        this(DEFAULT_LOCK_TIMEOUT, DEFAULT_STATEMENT_TIMEOUT);
    }

    /** @return the {@code lock_timeout} this reader sets, never zero */
    public Duration lockTimeout() {
        return Duration.ofMillis(lockTimeoutMillis);
    }

    /** @return the {@code statement_timeout} this reader sets, never zero */
    public Duration statementTimeout() {
        return Duration.ofMillis(statementTimeoutMillis);
    }

    /**
     * Reads the catalog of the connection's database.
     *
     * <p>A schema named in {@code filter.schemas()} that does not exist is simply absent from
     * {@link SchemaModel#schemas()} (no exception: the caller decides whether that is an error).
     *
     * @param connection an open PostgreSQL connection that is not inside a transaction; its
     *                   auto-commit and read-only states are restored before returning
     * @param filter     which schemas and objects to read
     * @return the model: {@code serverVersion} is the server's {@code server_version} setting
     *         verbatim (e.g. {@code 15.18} or {@code 15.18 (Debian 15.18-0+deb12u1)}); lists sorted
     *         by (schema, name), columns by position, constraints and indexes by name
     * @throws SQLException when the connection is inside an open transaction (the driver refuses
     *                      to switch it to read-only; the caller's transaction is left untouched),
     *                      or the server refuses a catalog query (SQLState {@code 55P03} lock
     *                      timeout, {@code 57014} statement timeout, {@code 42501} permission)
     */
    @Override
    public SchemaModel read(Connection connection, SchemaFilter filter) throws SQLException {
        return readSession(connection, filter, null, 0, line -> { });
    }

    /**
     * Reads the catalog on {@link #defaultConnections()} connections sharing one snapshot; see
     * {@link #read(Connection, SchemaFilter, ConnectionOpener, int, Consumer)}.
     *
     * @param connection the first connection, as for {@link #read(Connection, SchemaFilter)}
     * @param filter     which schemas and objects to read
     * @param more       opens another connection to the same database, as the same role
     * @param notes      receives one-line notes (e.g. why the read fell back to one connection), on
     *                   the calling thread
     * @return the same model {@link #read(Connection, SchemaFilter)} returns
     * @throws SQLException as {@link #read(Connection, SchemaFilter)}
     */
    public SchemaModel read(Connection connection, SchemaFilter filter, ConnectionOpener more, Consumer<String> notes)
            throws SQLException {
        return read(connection, filter, more, defaultConnections(), notes);
    }

    /**
     * Reads the catalog on {@code connections} connections at once, as {@code pg_dump -j} does: the
     * given connection opens a {@code REPEATABLE READ READ ONLY} transaction (same timeouts and
     * {@code search_path} as the serial read) and exports its snapshot
     * ({@code pg_export_snapshot()}); each worker connection from {@code more} begins
     * {@code REPEATABLE READ READ ONLY}, imports it ({@code SET TRANSACTION SNAPSHOT}, the first
     * statement of its transaction) and sets the same {@code SET LOCAL}s, so every query sees the
     * same catalog state. The independent per-kind queries are spread over the connections (one
     * thread each, heaviest query first, see {@link QueryScheduler}); each thread maps its rows
     * into per-query raw results, and the model is assembled from those after all are done, in the
     * serial read's order: the model equals the one {@link #read(Connection, SchemaFilter)} returns.
     * Every worker transaction is rolled back and every worker connection closed.
     *
     * <p>Falls back to fewer connections (down to the given one alone, i.e. the serial read) with a
     * one-line note, never a failure, when the snapshot cannot be exported, a worker connection
     * cannot be opened, or the server refuses the snapshot import (a pooler in transaction mode, a
     * standby that cannot import, too many connections).
     *
     * @param connection  the first connection, as for {@link #read(Connection, SchemaFilter)}
     * @param filter      which schemas and objects to read
     * @param more        opens another connection to the same database as the same role (e.g.
     *                    {@code spec::connect}); called at most {@code connections - 1} times
     * @param connections connections to read on, the given one included: 1 (serial) to
     *                    {@value #MAX_CONNECTIONS}
     * @param notes       receives one-line notes, on the calling thread, after the read
     * @return the same model {@link #read(Connection, SchemaFilter)} returns
     * @throws SQLException as {@link #read(Connection, SchemaFilter)}; a query failing on a worker
     *                      connection surfaces the same way (SQLState {@code 55P03}, {@code 57014},
     *                      {@code 42501}) and cancels the queries running on the others
     * @throws IllegalArgumentException when {@code connections} is outside 1 to {@value #MAX_CONNECTIONS}
     */
    public SchemaModel read(Connection connection, SchemaFilter filter, ConnectionOpener more, int connections,
                            Consumer<String> notes) throws SQLException {
        Objects.requireNonNull(more, "more");
        Objects.requireNonNull(notes, "notes");
        if (connections < 1 || connections > MAX_CONNECTIONS) {
            throw new IllegalArgumentException("connections must be from 1 to " + MAX_CONNECTIONS + ", got "
                    + connections);
        }
        return readSession(connection, filter, more, connections - 1, notes);
    }

    /**
     * @return the number of connections {@link #read(Connection, SchemaFilter, ConnectionOpener, Consumer)}
     *         uses: {@value #DEFAULT_CONNECTIONS}, or the system property
     *         {@code driftwatch.catalog.connections} (1 to {@value #MAX_CONNECTIONS}; for measurements,
     *         e.g. {@code DRIFTWATCH_JAVA_OPTS=-Ddriftwatch.catalog.connections=3}) when set and valid
     */
    public static int defaultConnections() {
        String p = System.getProperty("driftwatch.catalog.connections");
        if (p != null && p.matches("[1-9]")) {
            return Math.min(Integer.parseInt(p), MAX_CONNECTIONS);
        }
        return DEFAULT_CONNECTIONS;
    }

    /**
     * Opens a {@link ReadSession} with this reader's timeouts: the one place a read of a database
     * Driftwatch only reads begins. Callers that read more than the catalog (the audit: version
     * table, roles) do it all inside it, then read the catalog with
     * {@link #read(ReadSession, SchemaFilter, ConnectionOpener, Consumer)}.
     *
     * @param connection an open connection that is not inside a transaction
     * @return the open session (the caller closes it)
     * @throws SQLException as {@link ReadSession#begin}
     */
    public ReadSession begin(Connection connection) throws SQLException {
        return ReadSession.begin(connection, lockTimeout(), statementTimeout());
    }

    /**
     * Reads the catalog inside a session the caller opened ({@link #begin}), on
     * {@link #defaultConnections()} connections sharing its snapshot; the session stays open (the
     * caller closes it). Otherwise as {@link #read(Connection, SchemaFilter, ConnectionOpener, int, Consumer)}.
     * When the snapshot cannot be exported the session is restarted (a new snapshot) and read on
     * its connection alone.
     *
     * @param session an open session of this reader's database
     * @param filter  which schemas and objects to read
     * @param more    opens another connection to the same database, as the same role
     * @param notes   receives one-line notes, on the calling thread, after the read
     * @return the model
     * @throws SQLException as {@link #read(Connection, SchemaFilter)}; the session is then unusable
     *                      and must be closed
     */
    public SchemaModel read(ReadSession session, SchemaFilter filter, ConnectionOpener more, Consumer<String> notes)
            throws SQLException {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(more, "more");
        Objects.requireNonNull(notes, "notes");
        QueryScheduler scheduler = new QueryScheduler();
        try {
            return readModel(session, filter, more, defaultConnections() - 1, scheduler);
        } finally {
            scheduler.drainNotes().forEach(notes);
        }
    }

    private SchemaModel readSession(Connection connection, SchemaFilter filter, ConnectionOpener more, int workers,
                                    Consumer<String> notes) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(filter, "filter");
        QueryScheduler scheduler = new QueryScheduler();
        try (ReadSession session = begin(connection)) {
            return readModel(session, filter, more, workers, scheduler);
        } finally {
            scheduler.drainNotes().forEach(notes);
        }
    }

    /**
     * Begins a worker's transaction on the primary's snapshot: {@code BEGIN ... REPEATABLE READ READ
     * ONLY}, then {@code SET TRANSACTION SNAPSHOT} as its first statement, then the session's SET LOCALs.
     */
    private static void beginOnSnapshot(Connection worker, String snapshotId, ReadSession session) throws SQLException {
        worker.setAutoCommit(true); // the transaction is ours: BEGIN and ROLLBACK are sent explicitly
        try (Statement s = worker.createStatement()) {
            s.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
            s.execute("SET TRANSACTION SNAPSHOT '" + snapshotId.replace("'", "''") + "'");
            s.execute(session.setLocals());
        }
    }

    /** Heaviest first (server plus Java time at 10,000 tables, docs/benchmarks.md), then the rest. */
    private static final List<CatalogQuery> HEAVIEST_FIRST = List.of(CatalogQuery.COLUMNS, CatalogQuery.INDEXES,
            CatalogQuery.CONSTRAINTS, CatalogQuery.TABLES, CatalogQuery.COMMENTS, CatalogQuery.UNMODELLED);

    private static List<CatalogQuery> queries(SchemaFilter filter) {
        List<CatalogQuery> order = new ArrayList<>(HEAVIEST_FIRST);
        for (CatalogQuery q : CatalogQuery.values()) {
            boolean wanted = q != CatalogQuery.SCHEMAS && switch (q.use()) {
                case MODEL, OBJECTS -> true;
                case PRIVILEGES -> filter.withPrivileges();
                case OWNERS -> filter.withOwners();
            };
            if (wanted && !order.contains(q)) {
                order.add(q);
            }
        }
        return order;
    }

    private SchemaModel readModel(ReadSession session, SchemaFilter filter, ConnectionOpener more, int workers,
                                  QueryScheduler scheduler) throws SQLException {
        Connection c = session.connection();
        String snapshot = null;
        if (workers > 0) {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_catalog.pg_export_snapshot()")) {
                rs.next();
                snapshot = rs.getString(1);
            } catch (SQLException e) {
                // the failed statement ended the transaction: start over on one connection
                session.restart();
                scheduler.note("catalog read on one connection: cannot export a snapshot for more ("
                        + firstLine(e.getMessage()) + ")");
            }
        }
        List<Worker> started = new ArrayList<>();
        try {
            if (snapshot != null) {
                for (int i = 1; i <= workers; i++) {
                    Worker w = new Worker(more, snapshot, session, scheduler, filter, i + 1);
                    Thread t = new Thread(w, "driftwatch-catalog-" + (i + 1));
                    t.setDaemon(true);
                    w.thread = t;
                    started.add(w);
                    t.start();
                }
            }
            String version;
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_catalog.current_setting('server_version')")) {
                rs.next();
                version = rs.getString(1);
            }

            List<String> schemas = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(CatalogQuery.SCHEMAS.sql())) {
                Array requested = c.createArrayOf("text", filter.schemas().toArray(new String[0]));
                ps.setArray(1, requested);
                ps.setArray(2, requested);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String name = rs.getString("schema_name");
                        if (!filter.isExcluded(name)) {
                            schemas.add(name);
                        }
                    }
                }
            }
            if (schemas.isEmpty()) {
                return SchemaModel.empty().withServerVersion(version);
            }
            String[] names = schemas.toArray(new String[0]);
            scheduler.start(names, queries(filter));
            runQueries(c, c.createArrayOf("text", names), scheduler, filter);
            try {
                scheduler.awaitIdle();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                scheduler.fail(new SQLException("catalog read interrupted"));
            }
            Throwable failure = scheduler.failure();
            if (failure instanceof SQLException e) {
                throw e;
            } else if (failure instanceof RuntimeException e) {
                throw e;
            } else if (failure instanceof Error e) {
                throw e;
            } else if (failure != null) {
                throw new SQLException("catalog read failed: " + failure, failure);
            }
            return assemble(version, schemas, filter, scheduler);
        } finally {
            long deadline = System.nanoTime() + WORKER_CLOSE_WAIT_NANOS;
            // keep the exported snapshot alive until every worker has imported it or failed to: a
            // refusal is then always a real one, noted whatever the catalog size
            for (Worker w : started) {
                w.awaitReady(deadline);
            }
            scheduler.finish();
            for (Worker w : started) {
                w.awaitClosed(deadline);
            }
        }
    }

    /** Runs queries from the scheduler on one connection until none is left (or one failed). */
    private static void runQueries(Connection c, Array names, QueryScheduler scheduler, SchemaFilter filter) {
        CatalogQuery q;
        while ((q = scheduler.next()) != null) {
            try {
                scheduler.done(q, rows(c, q, names, filter, scheduler));
            } catch (Throwable t) {
                scheduler.fail(t);
            }
        }
    }

    /** How long a read waits for its workers to close their connections: the driver's default connect timeout. */
    private static final long WORKER_CLOSE_WAIT_NANOS =
            java.util.concurrent.TimeUnit.SECONDS.toNanos(ConnectionSpec.DEFAULT_CONNECT_TIMEOUT_SECONDS);

    /** One worker connection: opens, imports the snapshot, runs queries, always rolls back and closes. */
    private final class Worker implements Runnable {
        private final ConnectionOpener opener;
        private final String snapshot;
        private final ReadSession session;
        private final QueryScheduler scheduler;
        private final SchemaFilter filter;
        private final int number;
        private final java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
        Thread thread;

        Worker(ConnectionOpener opener, String snapshot, ReadSession session, QueryScheduler scheduler,
               SchemaFilter filter, int number) {
            this.opener = opener;
            this.snapshot = snapshot;
            this.session = session;
            this.scheduler = scheduler;
            this.filter = filter;
            this.number = number;
        }

        @Override
        public void run() {
            try {
                work();
            } finally {
                ready.countDown(); // whatever happened, the first connection need not wait for this one
            }
        }

        private void work() {
            Connection w;
            try {
                w = opener.open();
            } catch (SQLException | RuntimeException e) {
                unavailable("cannot open it: " + firstLine(e.getMessage()));
                ready.countDown();
                return;
            }
            try (w) {
                try {
                    if (scheduler.finished()) {
                        return;
                    }
                    beginOnSnapshot(w, snapshot, session);
                } catch (SQLException e) {
                    unavailable("the server refused the snapshot import: " + firstLine(e.getMessage()));
                    return;
                } finally {
                    ready.countDown();
                }
                try {
                    String[] names = scheduler.awaitStart();
                    if (names != null) {
                        runQueries(w, w.createArrayOf("text", names), scheduler, filter);
                    }
                } finally {
                    try (Statement s = w.createStatement()) {
                        s.execute("ROLLBACK");
                    }
                }
            } catch (SQLException | RuntimeException e) {
                // closing or rolling back a worker failed: its queries (if any) are done or failed already
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void unavailable(String why) {
            if (!scheduler.finished()) {
                scheduler.note("catalog read: connection " + number + " not used (" + why
                        + "); its queries ran on the others");
            }
        }

        /** Waits until the worker has imported the snapshot or failed to, or the deadline passed. */
        void awaitReady(long deadlineNanos) {
            try {
                ready.await(Math.max(0, deadlineNanos - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * Waits until the worker has rolled back and closed its connection, or the deadline passed (a
         * worker still connecting then closes its connection as soon as it has one).
         */
        void awaitClosed(long deadlineNanos) {
            long left = deadlineNanos - System.nanoTime();
            try {
                if (left > 0) {
                    thread.join(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int nl = message.indexOf('\n');
        return ConnectionSpec.maskUrl((nl >= 0 ? message.substring(0, nl) : message).strip()); // never a password
    }

    /**
     * Maps every row of one query to its raw form (no cross-query state: safe on any thread); rows
     * the filter drops without needing another query's result map to nothing.
     */
    private static List<Object> rows(Connection c, CatalogQuery q, Array names, SchemaFilter filter,
                                     QueryScheduler scheduler) throws SQLException {
        List<Object> out = new ArrayList<>();
        RowHandler mapper = switch (q) {
            case TABLES -> rs -> {
                String schema = rs.getString("schema_name");
                String name = rs.getString("table_name");
                if (filter.isHistoryTable(schema, name) || filter.isExcluded(schema + "." + name)) {
                    return;
                }
                String parentSchema = rs.getString("parent_schema");
                String parentName = rs.getString("parent_name");
                List<String> inheritsSchemas = textArray(rs, "inherits_schemas");
                List<String> inheritsNames = textArray(rs, "inherits_names");
                List<String> inherits = new ArrayList<>(inheritsNames.size());
                for (int i = 0; i < inheritsNames.size(); i++) {
                    inherits.add(Identifiers.qualified(inheritsSchemas.get(i), inheritsNames.get(i)));
                }
                TableRow row = new TableRow(rs.getLong("oid"), schema, name, rs.getBoolean("partitioned"),
                        rs.getString("partition_key"),
                        parentName == null ? null : Identifiers.qualified(parentSchema, parentName),
                        rs.getString("partition_bound"));
                row.unlogged = rs.getBoolean("unlogged");
                row.rowSecurity = rs.getBoolean("row_security");
                row.forceRowSecurity = rs.getBoolean("force_row_security");
                row.options = textArray(rs, "options");
                row.inherits = inherits;
                out.add(row);
            };
            case COLUMNS -> rs -> {
                String name = rs.getString("column_name");
                String collationName = rs.getString("collation_name");
                int position = rs.getInt("position");
                out.add(new ColumnRow(rs.getLong("table_oid"), position, name,
                        new Column(name, position, rs.getString("data_type"),
                                rs.getBoolean("not_null"), rs.getString("default_expr"),
                                Column.Identity.fromCatalog(rs.getString("identity")), rs.getString("generated_expr"),
                                collationName == null ? null
                                        : Identifiers.qualified(rs.getString("collation_schema"), collationName),
                                rs.getString("identity_options"))));
            };
            case CONSTRAINTS -> rs -> {
                String refTable = rs.getString("ref_table");
                out.add(new ConstraintRow(rs.getLong("table_oid"), rs.getString("constraint_name"),
                        Constraint.Type.fromCatalog(rs.getString("constraint_type")), rs.getString("definition"),
                        intArray(rs, "column_numbers"),
                        refTable == null ? null : Identifiers.qualified(rs.getString("ref_schema"), refTable)));
            };
            case INDEXES -> rs -> {
                String name = rs.getString("index_name");
                out.add(new IndexRow(rs.getLong("table_oid"), name, new Index(name, rs.getString("definition"),
                        rs.getBoolean("is_unique"), rs.getString("method"), rs.getString("predicate"),
                        rs.getBoolean("is_valid"))));
            };
            case VIEWS -> rs -> {
                String schema = rs.getString("schema_name");
                String name = rs.getString("view_name");
                if (!filter.isExcluded(schema + "." + name)) {
                    List<String> depSchemas = textArray(rs, "dep_schemas");
                    List<String> depNames = textArray(rs, "dep_names");
                    List<String> dependsOn = new ArrayList<>(depNames.size());
                    for (int i = 0; i < depNames.size(); i++) {
                        dependsOn.add(Identifiers.qualified(depSchemas.get(i), depNames.get(i)));
                    }
                    out.add(new View(schema, name, rs.getBoolean("materialized"), rs.getString("definition"),
                            textArray(rs, "options"), dependsOn));
                }
            };
            case SEQUENCES -> rs -> {
                String schema = rs.getString("schema_name");
                String name = rs.getString("sequence_name");
                if (filter.isExcluded(schema + "." + name)) {
                    return;
                }
                String ownerColumn = rs.getString("owner_column");
                String ownedBy = ownerColumn == null ? null
                        : Identifiers.quoteIfNeeded(rs.getString("owner_schema")) + "."
                        + Identifiers.quoteIfNeeded(rs.getString("owner_table")) + "."
                        + Identifiers.quoteIfNeeded(ownerColumn);
                out.add(new Sequence(schema, name, rs.getString("data_type"), rs.getLong("start_value"),
                        rs.getLong("increment_by"), rs.getLong("min_value"), rs.getLong("max_value"),
                        rs.getLong("cache_size"), rs.getBoolean("cycle"), ownedBy));
            };
            case ENUMS -> rs -> {
                String schema = rs.getString("schema_name");
                String name = rs.getString("type_name");
                if (!filter.isExcluded(schema + "." + name)) {
                    out.add(new EnumType(schema, name, textArray(rs, "labels")));
                }
            };
            case UNMODELLED -> rs -> {
                UnmodelledObject u = new UnmodelledObject(rs.getString("kind"), rs.getString("schema_name"),
                        rs.getString("parent_name"), rs.getString("object_name"));
                if (filter.keeps(u)) {
                    out.add(u);
                }
            };
            case SCHEMAS -> throw new IllegalStateException("the schema query runs before the others");
            default -> {
                List<String> labels = new ArrayList<>(); // the query's column labels, read from its first row
                yield rs -> {
                    if (labels.isEmpty()) {
                        java.sql.ResultSetMetaData md = rs.getMetaData();
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            labels.add(md.getColumnLabel(i));
                        }
                    }
                    CatalogObject o = catalogObject(rs, labels, filter);
                    if (o != null) {
                        out.add(o);
                    }
                };
            }
        };
        query(c, q, names, scheduler, mapper);
        return out;
    }

    /** Builds the model from the raw rows, in the order the serial read always used. */
    private static SchemaModel assemble(String version, List<String> schemas, SchemaFilter filter,
                                        QueryScheduler scheduler) {
        Map<Long, TableRow> tables = new LinkedHashMap<>();
        for (Object o : scheduler.rows(CatalogQuery.TABLES)) {
            TableRow t = (TableRow) o;
            tables.put(t.oid, t);
        }
        for (Object o : scheduler.rows(CatalogQuery.COLUMNS)) {
            ColumnRow r = (ColumnRow) o;
            TableRow t = tables.get(r.tableOid());
            if (t == null) {
                continue;
            }
            t.columnNames.put(r.position(), r.name()); // excluded columns too: constraints name them
            if (!t.excludes(filter, r.name())) {
                t.columns.add(r.column());
            }
        }
        for (Object o : scheduler.rows(CatalogQuery.CONSTRAINTS)) {
            ConstraintRow r = (ConstraintRow) o;
            TableRow t = tables.get(r.tableOid());
            if (t != null && !t.excludes(filter, r.name())) {
                t.constraints.add(new Constraint(r.name(), r.type(), r.definition(), t.columnNames(r.keys()),
                        r.refTable()));
            }
        }
        for (Object o : scheduler.rows(CatalogQuery.INDEXES)) {
            IndexRow r = (IndexRow) o;
            TableRow t = tables.get(r.tableOid());
            if (t != null && !t.excludes(filter, r.name())) {
                t.indexes.add(r.index());
            }
        }
        List<View> views = cast(scheduler.rows(CatalogQuery.VIEWS));
        List<Sequence> sequences = cast(scheduler.rows(CatalogQuery.SEQUENCES));
        List<EnumType> enums = cast(scheduler.rows(CatalogQuery.ENUMS));
        List<CatalogObject> objects = new ArrayList<>();
        for (CatalogQuery q : CatalogQuery.values()) {
            if (q.use() != CatalogQuery.Use.MODEL) {
                objects.addAll(cast(scheduler.rows(q)));
            }
        }
        List<UnmodelledObject> notAudited = cast(scheduler.rows(CatalogQuery.UNMODELLED));
        List<Table> tableList = new ArrayList<>(tables.size());
        for (TableRow t : tables.values()) {
            tableList.add(t.toTable());
        }
        return new SchemaModel(version, schemas, tableList, views, sequences, enums, objects, notAudited);
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> cast(List<Object> rows) {
        return (List<T>) (List<?>) rows;
    }

    /** A column row: its table's oid, its attnum and name, and the column as modelled. */
    private record ColumnRow(long tableOid, int position, String name, Column column) {
    }

    /** A constraint row; its column names need the table's column rows, so it is built at assembly. */
    private record ConstraintRow(long tableOid, String name, Constraint.Type type, String definition, Integer[] keys,
                                 String refTable) {
    }

    /** An index row: its table's oid and the index as modelled. */
    private record IndexRow(long tableOid, String name, Index index) {
    }

    /** Identity and target columns of the generic layout; every other column is an attribute. */
    private static final java.util.Set<String> LAYOUT_COLUMNS = java.util.Set.of("object_kind", "schema_name",
            "parent_name", "object_name", "target_kind", "target_schema", "target_parent", "target_name",
            "name_suffix");

    /**
     * Maps one row of a generic object query (see the class doc; {@code labels} are its column labels in
     * order) to a {@link CatalogObject}, or null
     * when the filter excludes it. Role-valued columns ({@code owner}, {@code grantee},
     * {@code grantor_role}, names ending {@code _role}, and {@code roles}: a comma-separated list)
     * and the role in {@code name_suffix} go through {@link SchemaFilter#mapRole}.
     */
    private static CatalogObject catalogObject(ResultSet rs, List<String> labels, SchemaFilter filter)
            throws SQLException {
        ObjectKind kind = ObjectKind.valueOf(rs.getString("object_kind"));
        String schema = rs.getString("schema_name");
        String parent = labels.contains("parent_name") ? rs.getString("parent_name") : null;
        ObjectRef target = null;
        if (labels.contains("target_kind") && rs.getString("target_kind") != null) {
            target = new ObjectRef(ObjectKind.valueOf(rs.getString("target_kind")), rs.getString("target_schema"),
                    labels.contains("target_parent") ? rs.getString("target_parent") : null, rs.getString("target_name"));
        }
        String name = labels.contains("object_name") ? rs.getString("object_name") : null;
        if (name == null) {
            if (target == null) {
                throw new SQLException("catalog object row of kind " + kind + " has neither object_name nor target");
            }
            name = target.toString();
        }
        if (labels.contains("name_suffix") && rs.getString("name_suffix") != null) {
            name = name + " " + filter.mapRolesInSuffix(rs.getString("name_suffix"));
        }
        ObjectRef ref = new ObjectRef(kind, schema, parent, name);
        if (!filter.keeps(target != null ? target : ref)) {
            return null;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            if (!LAYOUT_COLUMNS.contains(label)) {
                attributes.put(label, filter.mapRoleAttribute(label, rs.getString(i + 1)));
            }
        }
        return new CatalogObject(ref, attributes, target);
    }

    private static void query(Connection c, CatalogQuery q, Array schemas, QueryScheduler scheduler,
                              RowHandler handler) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(q.sql())) {
            int params = q.sql().split("\\?::text\\[\\]", -1).length - 1;
            for (int i = 1; i <= Math.max(1, params); i++) {
                ps.setArray(i, schemas);
            }
            scheduler.running(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    handler.accept(rs);
                }
            } finally {
                scheduler.stopped(ps);
            }
        } catch (SQLException e) {
            throw new SQLException("catalog query " + q.resource() + " failed: " + e.getMessage(),
                    e.getSQLState(), e.getErrorCode(), e);
        }
    }

    private static Integer[] intArray(ResultSet rs, String column) throws SQLException {
        Array a = rs.getArray(column);
        if (a == null) {
            return null;
        }
        try {
            return (Integer[]) a.getArray();
        } finally {
            a.free();
        }
    }

    private static List<String> textArray(ResultSet rs, String column) throws SQLException {
        Array a = rs.getArray(column);
        if (a == null) {
            return List.of();
        }
        try {
            return List.of((String[]) a.getArray());
        } finally {
            a.free();
        }
    }

    private static long millis(Duration d, String what) {
        return ReadSession.millis(d, what);
    }

    @FunctionalInterface
    private interface RowHandler {
        void accept(ResultSet rs) throws SQLException;
    }

    /** A table being assembled from the per-kind queries (mutable only inside one read). */
    private static final class TableRow {
        final long oid;
        final String schema;
        final String name;
        final boolean partitioned;
        final String partitionKey;
        final String partitionOf;
        final String partitionBound;
        final List<Column> columns = new ArrayList<>();
        final List<Constraint> constraints = new ArrayList<>();
        final List<Index> indexes = new ArrayList<>();
        /** attnum to name of every column read, before exclusions */
        final Map<Integer, String> columnNames = new java.util.HashMap<>();
        boolean unlogged;
        boolean rowSecurity;
        boolean forceRowSecurity;
        List<String> options = List.of();
        List<String> inherits = List.of();

        TableRow(long oid, String schema, String name, boolean partitioned, String partitionKey, String partitionOf,
                 String partitionBound) {
            this.oid = oid;
            this.schema = schema;
            this.name = name;
            this.partitioned = partitioned;
            this.partitionKey = partitionKey;
            this.partitionOf = partitionOf;
            this.partitionBound = partitionBound;
        }

        /**
         * @param keys    a constraint's {@code conkey} as {@code int4[]}, or null
         * @return the columns' names in key order; numbers of no column read (0 for an expression
         *         element of an exclusion constraint) are skipped, as the former pg_attribute join did
         */
        List<String> columnNames(Integer[] keys) {
            if (keys == null) {
                return List.of();
            }
            List<String> names = new ArrayList<>(keys.length);
            for (Integer k : keys) {
                String n = k == null ? null : columnNames.get(k);
                if (n != null) {
                    names.add(n);
                }
            }
            return List.copyOf(names);
        }

        boolean excludes(SchemaFilter filter, String child) {
            return filter.isExcluded(schema + "." + name + "." + child);
        }

        Table toTable() {
            columns.sort(Comparator.comparingInt(Column::position));
            constraints.sort(Comparator.comparing(Constraint::name));
            indexes.sort(Comparator.comparing(Index::name));
            return new Table(schema, name, partitioned, partitionKey, partitionOf, partitionBound,
                    columns, constraints, indexes, unlogged, rowSecurity, forceRowSecurity, options, inherits);
        }
    }
}
