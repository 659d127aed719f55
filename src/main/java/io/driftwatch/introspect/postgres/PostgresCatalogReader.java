package io.driftwatch.introspect.postgres;

import io.driftwatch.introspect.CatalogReader;
import io.driftwatch.introspect.SchemaFilter;
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

/**
 * The fast PostgreSQL {@link CatalogReader}: one set-based query over {@code pg_catalog} per object
 * kind (schemas, tables, columns, constraints, indexes, views, sequences, enums; see
 * {@link CatalogQuery}), eight statements whatever the catalog size, never a round trip per table.
 * All compared text comes from the server's deparsers ({@code format_type}, {@code pg_get_expr},
 * {@code pg_get_constraintdef}, {@code pg_get_indexdef}, {@code pg_get_viewdef(oid, true)},
 * {@code pg_get_partkeydef}). Works for PostgreSQL 12 and later (uses {@code attgenerated}).
 *
 * <p>Session discipline (the audited database is production): auto-commit off, read-only on,
 * then {@code SET TRANSACTION READ ONLY}, {@code SET LOCAL lock_timeout},
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
 * <p>Stateless apart from its two timeouts; one instance may serve many threads (each with its
 * own connection).
 */
public final class PostgresCatalogReader implements CatalogReader {

    /** Default {@code lock_timeout}: 5 seconds. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(5);

    /** Default {@code statement_timeout}: 120 seconds. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(120);

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
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(filter, "filter");
        boolean previousAutoCommit = connection.getAutoCommit();
        boolean previousReadOnly = connection.isReadOnly();
        connection.setAutoCommit(false);
        try {
            connection.setReadOnly(true);
        } catch (SQLException e) {
            restoreQuietly(() -> connection.setAutoCommit(previousAutoCommit), e);
            throw e;
        }
        SchemaModel model;
        try {
            beginReadOnly(connection);
            model = readModel(connection, filter);
        } catch (Throwable e) {
            restoreQuietly(connection::rollback, e);
            restoreQuietly(() -> connection.setReadOnly(previousReadOnly), e);
            restoreQuietly(() -> connection.setAutoCommit(previousAutoCommit), e);
            throw e;
        }
        connection.rollback();
        connection.setReadOnly(previousReadOnly);
        connection.setAutoCommit(previousAutoCommit);
        return model;
    }

    private void beginReadOnly(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            // numbers only: nothing user-supplied is spliced into the text
            s.execute("SET TRANSACTION READ ONLY; "
                    + "SET LOCAL lock_timeout = " + lockTimeoutMillis + "; "
                    + "SET LOCAL statement_timeout = " + statementTimeoutMillis + "; "
                    + "SET LOCAL search_path = pg_catalog; "
                    // catalog queries are cheap per row; JIT compiling one (cost above jit_above_cost,
                    // reached by the comment query near 10,000 tables) costs more than it saves
                    + "SET LOCAL jit = off");
        }
    }

    private SchemaModel readModel(Connection c, SchemaFilter filter) throws SQLException {
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
        Array names = c.createArrayOf("text", schemas.toArray(new String[0]));

        Map<Long, TableRow> tables = new LinkedHashMap<>();
        query(c, CatalogQuery.TABLES, names, rs -> {
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
            TableRow row = new TableRow(schema, name, rs.getBoolean("partitioned"),
                    rs.getString("partition_key"),
                    parentName == null ? null : Identifiers.qualified(parentSchema, parentName),
                    rs.getString("partition_bound"));
            row.unlogged = rs.getBoolean("unlogged");
            row.rowSecurity = rs.getBoolean("row_security");
            row.forceRowSecurity = rs.getBoolean("force_row_security");
            row.options = textArray(rs, "options");
            row.inherits = inherits;
            tables.put(rs.getLong("oid"), row);
        });

        query(c, CatalogQuery.COLUMNS, names, rs -> {
            TableRow t = tables.get(rs.getLong("table_oid"));
            String name = rs.getString("column_name");
            if (t == null) {
                return;
            }
            t.columnNames.put(rs.getInt("position"), name); // excluded columns too: constraints name them
            if (t.excludes(filter, name)) {
                return;
            }
            String collationName = rs.getString("collation_name");
            t.columns.add(new Column(name, rs.getInt("position"), rs.getString("data_type"),
                    rs.getBoolean("not_null"), rs.getString("default_expr"),
                    Column.Identity.fromCatalog(rs.getString("identity")), rs.getString("generated_expr"),
                    collationName == null ? null
                            : Identifiers.qualified(rs.getString("collation_schema"), collationName),
                    rs.getString("identity_options")));
        });

        query(c, CatalogQuery.CONSTRAINTS, names, rs -> {
            TableRow t = tables.get(rs.getLong("table_oid"));
            String name = rs.getString("constraint_name");
            if (t == null || t.excludes(filter, name)) {
                return;
            }
            String refTable = rs.getString("ref_table");
            t.constraints.add(new Constraint(name, Constraint.Type.fromCatalog(rs.getString("constraint_type")),
                    rs.getString("definition"), t.columnNames(rs.getArray("column_numbers")),
                    refTable == null ? null : Identifiers.qualified(rs.getString("ref_schema"), refTable)));
        });

        query(c, CatalogQuery.INDEXES, names, rs -> {
            TableRow t = tables.get(rs.getLong("table_oid"));
            String name = rs.getString("index_name");
            if (t == null || t.excludes(filter, name)) {
                return;
            }
            t.indexes.add(new Index(name, rs.getString("definition"), rs.getBoolean("is_unique"),
                    rs.getString("method"), rs.getString("predicate"), rs.getBoolean("is_valid")));
        });

        List<View> views = new ArrayList<>();
        query(c, CatalogQuery.VIEWS, names, rs -> {
            String schema = rs.getString("schema_name");
            String name = rs.getString("view_name");
            if (!filter.isExcluded(schema + "." + name)) {
                List<String> depSchemas = textArray(rs, "dep_schemas");
                List<String> depNames = textArray(rs, "dep_names");
                List<String> dependsOn = new ArrayList<>(depNames.size());
                for (int i = 0; i < depNames.size(); i++) {
                    dependsOn.add(Identifiers.qualified(depSchemas.get(i), depNames.get(i)));
                }
                views.add(new View(schema, name, rs.getBoolean("materialized"), rs.getString("definition"),
                        textArray(rs, "options"), dependsOn));
            }
        });

        List<Sequence> sequences = new ArrayList<>();
        query(c, CatalogQuery.SEQUENCES, names, rs -> {
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
            sequences.add(new Sequence(schema, name, rs.getString("data_type"), rs.getLong("start_value"),
                    rs.getLong("increment_by"), rs.getLong("min_value"), rs.getLong("max_value"),
                    rs.getLong("cache_size"), rs.getBoolean("cycle"), ownedBy));
        });

        List<EnumType> enums = new ArrayList<>();
        query(c, CatalogQuery.ENUMS, names, rs -> {
            String schema = rs.getString("schema_name");
            String name = rs.getString("type_name");
            if (!filter.isExcluded(schema + "." + name)) {
                enums.add(new EnumType(schema, name, textArray(rs, "labels")));
            }
        });

        List<CatalogObject> objects = new ArrayList<>();
        for (CatalogQuery q : CatalogQuery.values()) {
            boolean wanted = switch (q.use()) {
                case MODEL -> false;
                case OBJECTS -> true;
                case PRIVILEGES -> filter.withPrivileges();
                case OWNERS -> filter.withOwners();
            };
            if (wanted) {
                List<String> labels = new ArrayList<>(); // the query's column labels, read from its first row
                query(c, q, names, rs -> {
                    if (labels.isEmpty()) {
                        java.sql.ResultSetMetaData md = rs.getMetaData();
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            labels.add(md.getColumnLabel(i));
                        }
                    }
                    CatalogObject o = catalogObject(rs, labels, filter);
                    if (o != null) {
                        objects.add(o);
                    }
                });
            }
        }

        List<UnmodelledObject> notAudited = new ArrayList<>();
        query(c, CatalogQuery.UNMODELLED, names, rs -> {
            String schema = rs.getString("schema_name");
            String parent = rs.getString("parent_name");
            String name = rs.getString("object_name");
            UnmodelledObject u = new UnmodelledObject(rs.getString("kind"), schema, parent, name);
            if (filter.keeps(u)) {
                notAudited.add(u);
            }
        });

        List<Table> tableList = new ArrayList<>(tables.size());
        for (TableRow t : tables.values()) {
            tableList.add(t.toTable());
        }
        return new SchemaModel(version, schemas, tableList, views, sequences, enums, objects, notAudited);
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

    private static void query(Connection c, CatalogQuery q, Array schemas, RowHandler handler) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(q.sql())) {
            int params = q.sql().split("\\?::text\\[\\]", -1).length - 1;
            for (int i = 1; i <= Math.max(1, params); i++) {
                ps.setArray(i, schemas);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    handler.accept(rs);
                }
            }
        } catch (SQLException e) {
            throw new SQLException("catalog query " + q.resource() + " failed: " + e.getMessage(),
                    e.getSQLState(), e.getErrorCode(), e);
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
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.toMillis() < 1 || d.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException(what + " must be from 1 ms to " + Integer.MAX_VALUE
                    + " ms, got " + d);
        }
        return d.toMillis();
    }

    private static void restoreQuietly(SqlAction action, Throwable primary) {
        try {
            action.run();
        } catch (SQLException e) {
            primary.addSuppressed(e);
        }
    }

    @FunctionalInterface
    private interface RowHandler {
        void accept(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    private interface SqlAction {
        void run() throws SQLException;
    }

    /** A table being assembled from the per-kind queries (mutable only inside one read). */
    private static final class TableRow {
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

        TableRow(String schema, String name, boolean partitioned, String partitionKey, String partitionOf,
                 String partitionBound) {
            this.schema = schema;
            this.name = name;
            this.partitioned = partitioned;
            this.partitionKey = partitionKey;
            this.partitionOf = partitionOf;
            this.partitionBound = partitionBound;
        }

        /**
         * @param numbers a constraint's {@code conkey} as {@code int4[]}, or null
         * @return the columns' names in key order; numbers of no column read (0 for an expression
         *         element of an exclusion constraint) are skipped, as the former pg_attribute join did
         */
        List<String> columnNames(Array numbers) throws SQLException {
            if (numbers == null) {
                return List.of();
            }
            try {
                Integer[] keys = (Integer[]) numbers.getArray();
                List<String> names = new ArrayList<>(keys.length);
                for (Integer k : keys) {
                    String n = k == null ? null : columnNames.get(k);
                    if (n != null) {
                        names.add(n);
                    }
                }
                return List.copyOf(names);
            } finally {
                numbers.free();
            }
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
