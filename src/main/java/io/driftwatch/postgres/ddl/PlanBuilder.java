package io.driftwatch.postgres.ddl;

import io.driftwatch.plan.Hazard;
import io.driftwatch.plan.HazardType;
import io.driftwatch.plan.PlanOptions;
import io.driftwatch.plan.Statement;
import io.driftwatch.diff.Change;
import io.driftwatch.diff.ChangeKind;
import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.Column;
import io.driftwatch.model.Constraint;
import io.driftwatch.model.EnumType;
import io.driftwatch.model.Index;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.model.Sequence;
import io.driftwatch.model.Table;
import io.driftwatch.model.View;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static io.driftwatch.postgres.ddl.PgDdl.alterColumn;
import static io.driftwatch.postgres.ddl.PgDdl.exec;
import static io.driftwatch.postgres.ddl.PgDdl.guarded;
import static io.driftwatch.postgres.ddl.PgDdl.id;
import static io.driftwatch.postgres.ddl.PgDdl.lit;
import static io.driftwatch.postgres.ddl.PgDdl.regclass;
import static io.driftwatch.postgres.ddl.PgDdl.rel;

/**
 * One planning run of {@link Planner}: turns the changes of {@code diff(from, to)} into statements
 * (one {@link Change.Visitor} method per change type), adds the statements dependencies call for
 * (views dropped and recreated around the table changes they block, foreign keys dropped and
 * re-added around changes of the keys they reference), and orders everything by {@link Phase}.
 *
 * <p>Mutable while it runs and used once; {@link Planner} creates a new one for every plan.
 */
final class PlanBuilder implements Change.Visitor<Void> {

    private record Step(Phase phase, int rank, int seq, Statement statement) {
    }

    private static final HazardType LOCK = HazardType.ACQUIRES_ACCESS_EXCLUSIVE_LOCK;

    private final SchemaModel from;
    private final SchemaModel to;
    private final List<Change> changes;
    private final PlanOptions options;
    private final List<Step> steps = new ArrayList<>();

    private final Map<String, Table> fromTables = new HashMap<>();
    private final Map<String, Table> toTables = new HashMap<>();
    /** tables whose partitioning changes: dropped and created again */
    private final Set<String> rebuilt = new HashSet<>();
    /** tables dropped by the plan */
    private final Set<String> droppedTables = new HashSet<>();
    /** qualified names (tables, enum types) whose change requires dependent views to be recreated */
    private final Set<String> changedRelations = new HashSet<>();
    /** tables whose primary/unique keys change: foreign keys referencing them are dropped and re-added */
    private final Set<String> keyChanged = new HashSet<>();
    /** {@code table\0constraint} of foreign keys the diff itself drops, adds or changes */
    private final Set<String> fkHandled = new HashSet<>();
    /** {@code table\0constraint} of foreign keys the diff changes (re-added by their own statement) */
    private final Set<String> fkModified = new HashSet<>();
    /** enums rebuilt (labels removed or reordered) */
    private final Map<String, EnumType> rebuiltEnums = new LinkedHashMap<>();
    /** columns the diff drops, {@code table\0column} */
    private final Set<String> droppedColumns = new HashSet<>();

    /** catalog objects already created by the plan (matview indexes re-created with their view) */
    private final Set<ObjectRef> plannedObjects = new HashSet<>();

    /** the {@link ObjectPlanner}s' view of this builder */
    private final ObjectPlanner.Emitter emitter = new ObjectPlanner.Emitter() {
        @Override
        public void add(Phase phase, int rank, String sql, ObjectRef object, List<Hazard> hazards,
                        boolean transactional, boolean destructive, String why) {
            PlanBuilder.this.add(phase, rank, sql, object, hazards, transactional, destructive, why);
        }

        @Override
        public SchemaModel from() {
            return from;
        }

        @Override
        public SchemaModel to() {
            return to;
        }
    };

    private final List<View> addedViews = new ArrayList<>();
    private final List<View> droppedViews = new ArrayList<>();
    private final List<Change.ModifyView> modifiedViews = new ArrayList<>();
    /** views and materialized views whose options alone differ (same query): ALTER ... SET / RESET */
    private final List<Change.ModifyView> viewOptionChanges = new ArrayList<>();

    PlanBuilder(SchemaModel from, SchemaModel to, List<Change> changes, PlanOptions options) {
        this.from = from;
        this.to = to;
        this.changes = changes;
        this.options = options;
        from.tables().forEach(t -> fromTables.put(rel(t), t));
        to.tables().forEach(t -> toTables.put(rel(t), t));
    }

    /** @return the plan's statements in execution order */
    List<Statement> build() {
        analyze();
        for (Change c : changes) {
            c.accept(this);
        }
        planRebuiltTables();
        planViews();
        planObjects();
        planDependentForeignKeys();
        steps.sort(Comparator.comparing(Step::phase).thenComparingInt(Step::rank).thenComparingInt(Step::seq));
        return steps.stream().map(Step::statement).toList();
    }

    // ------------------------------------------------------------------ analysis

    private void analyze() {
        for (Change c : changes) {
            if (c instanceof Change.ModifyTable m && partitioningChanged(m.from(), m.to())) {
                markRebuilt(m.to());
            } else if (c instanceof Change.DropTable d) {
                droppedTables.add(rel(d.table()));
                changedRelations.add(rel(d.table()));
                keyChanged.add(rel(d.table()));
            } else if (c instanceof Change.DropColumn d) {
                droppedColumns.add(rel(d.table()) + '\0' + d.column().name());
                changedRelations.add(rel(d.table()));
                if (inKey(fromTable(d.table()), d.column().name())) {
                    keyChanged.add(rel(d.table()));
                }
            } else if (c instanceof Change.ModifyColumn m) {
                if (m.changes().contains(ChangeKind.TYPE) || m.changes().contains(ChangeKind.COLLATION)
                        || m.changes().contains(ChangeKind.GENERATED)) {
                    changedRelations.add(rel(m.table()));
                    if (inKey(fromTable(m.table()), m.from().name())) {
                        keyChanged.add(rel(m.table()));
                    }
                }
            } else if (c instanceof Change.DropConstraint d && isKey(d.constraint())) {
                keyChanged.add(rel(d.table()));
            } else if (c instanceof Change.ModifyConstraint m && isKey(m.from())) {
                keyChanged.add(rel(m.table()));
            } else if (c instanceof Change.DropIndex d && d.index().unique()) {
                keyChanged.add(rel(d.table()));
            } else if (c instanceof Change.ModifyIndex m && m.from().unique()) {
                keyChanged.add(rel(m.table()));
            } else if (c instanceof Change.ModifyEnum m && !isSubsequence(m.from().labels(), m.to().labels())) {
                String name = rel(m.to().schema(), m.to().name());
                rebuiltEnums.put(name, m.to());
                changedRelations.add(name);
                for (Table t : from.tables()) {
                    if (!enumColumns(t, name).isEmpty()) {
                        changedRelations.add(rel(t));
                        keyChanged.add(rel(t));
                    }
                }
            } else if (c instanceof Change.AddView a) {
                addedViews.add(a.view());
            } else if (c instanceof Change.DropView d) {
                droppedViews.add(d.view());
            } else if (c instanceof Change.ModifyView m) {
                if (m.from().definition().equals(m.to().definition())) {
                    viewOptionChanges.add(m);
                } else {
                    modifiedViews.add(m);
                }
            }
            if (c instanceof Change.AddConstraint a && a.constraint().type() == Constraint.Type.FOREIGN_KEY) {
                fkHandled.add(rel(a.table()) + '\0' + a.constraint().name());
            } else if (c instanceof Change.DropConstraint d && d.constraint().type() == Constraint.Type.FOREIGN_KEY) {
                fkHandled.add(rel(d.table()) + '\0' + d.constraint().name());
            } else if (c instanceof Change.ModifyConstraint m && (m.from().type() == Constraint.Type.FOREIGN_KEY
                    || m.to().type() == Constraint.Type.FOREIGN_KEY)) {
                fkModified.add(rel(m.table()) + '\0' + m.to().name());
            }
        }
    }

    private void markRebuilt(Table t) {
        String name = rel(t);
        if (!rebuilt.add(name)) {
            return;
        }
        changedRelations.add(name);
        keyChanged.add(name);
        for (Table p : to.tables()) {
            if (name.equals(p.partitionOf())) {
                markRebuilt(p);
            }
        }
    }

    private static boolean partitioningChanged(Table a, Table b) {
        return a.partitioned() != b.partitioned() || !Objects.equals(a.partitionKey(), b.partitionKey());
    }

    private static boolean isKey(Constraint c) {
        return c.type() == Constraint.Type.PRIMARY_KEY || c.type() == Constraint.Type.UNIQUE
                || c.type() == Constraint.Type.EXCLUSION;
    }

    private static boolean inKey(Table t, String column) {
        if (t == null) {
            return false;
        }
        for (Constraint c : t.constraints()) {
            if (isKey(c) && c.columns().contains(column)) {
                return true;
            }
        }
        for (Index i : t.indexes()) {
            if (i.unique()) {
                return true;
            }
        }
        return false;
    }

    private Table fromTable(Table t) {
        return fromTables.get(rel(t));
    }

    /** @return true when {@code a} appears in {@code b} in the same order (labels can be added around it) */
    static boolean isSubsequence(List<String> a, List<String> b) {
        int i = 0;
        for (String s : b) {
            if (i < a.size() && a.get(i).equals(s)) {
                i++;
            }
        }
        return i == a.size() && Set.copyOf(b).containsAll(a);
    }

    private static List<Column> enumColumns(Table t, String enumName) {
        List<Column> out = new ArrayList<>();
        for (Column c : t.columns()) {
            if (c.type().equals(enumName) || c.type().equals(enumName + "[]")) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * @return how many levels of parents (partitioned parent or plain inheritance parents, the
     *         longest chain) the table has: parents are created before and dropped after children
     */
    private int depth(Table t) {
        return depth(t, new HashSet<>());
    }

    private int depth(Table t, Set<String> path) {
        if (!path.add(rel(t))) {
            return 0; // a cycle: cannot happen in a catalog, but never loop
        }
        List<String> parents = new ArrayList<>(t.inherits());
        if (t.partitionOf() != null) {
            parents.add(t.partitionOf());
        }
        int d = 0;
        for (String parent : parents) {
            Table p = toTables.getOrDefault(parent, fromTables.get(parent));
            d = Math.max(d, 1 + (p == null ? 0 : depth(p, path)));
        }
        path.remove(rel(t));
        return d;
    }

    private boolean skipChildChange(Table t) {
        return rebuilt.contains(rel(t));
    }

    // ------------------------------------------------------------------ emitting

    private void add(Phase phase, int rank, String sql, ObjectRef object, List<Hazard> hazards,
                     boolean transactional, boolean destructive, String why) {
        steps.add(new Step(phase, rank, steps.size(),
                new Statement(sql, object, hazards, transactional, destructive, why)));
    }

    private static Hazard h(HazardType type, String message) {
        return new Hazard(type, message);
    }

    private static ObjectRef columnRef(Table t, String column) {
        return ObjectRef.child(ObjectKind.COLUMN, t.schema(), t.name(), column);
    }

    private static ObjectRef constraintRef(Table t, String name) {
        return ObjectRef.child(ObjectKind.CONSTRAINT, t.schema(), t.name(), name);
    }

    private static ObjectRef indexRef(Table t, String name) {
        return ObjectRef.child(ObjectKind.INDEX, t.schema(), t.name(), name);
    }

    private static String q(ObjectRef r) {
        return r.qualifiedName();
    }

    // ------------------------------------------------------------------ schemas

    @Override
    public Void visit(Change.AddSchema c) {
        add(Phase.CREATE_SCHEMAS, 0, "CREATE SCHEMA IF NOT EXISTS " + id(c.name()) + ";", c.ref(), List.of(),
                true, false, "create missing schema " + q(c.ref()));
        return null;
    }

    @Override
    public Void visit(Change.DropSchema c) {
        boolean holdsObjects = from.tables().stream().anyMatch(t -> t.schema().equals(c.name()))
                || from.sequences().stream().anyMatch(s -> s.schema().equals(c.name()))
                || from.views().stream().anyMatch(v -> v.schema().equals(c.name()));
        add(Phase.DROP_SCHEMAS, 0, "DROP SCHEMA IF EXISTS " + id(c.name()) + ";", c.ref(),
                List.of(h(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, "drops schema " + q(c.ref())
                        + "; fails while it still holds objects Driftwatch does not model (functions, domains, ...)")),
                true, holdsObjects, "drop extra schema " + q(c.ref()));
        return null;
    }

    // ------------------------------------------------------------------ tables

    @Override
    public Void visit(Change.AddTable c) {
        createTable(c.table(), "create missing table ");
        return null;
    }

    private void createTable(Table t, String whyPrefix) {
        int d = depth(t);
        ObjectRef ref = t.ref();
        add(Phase.CREATE_TABLES, d, PgDdl.createTable(t), ref, List.of(), true, false, whyPrefix + q(ref));
        if (t.rowSecurity()) {
            add(Phase.ALTER_TABLES, d, "ALTER TABLE " + rel(t) + " ENABLE ROW LEVEL SECURITY;", ref, List.of(), true, false,
                    "enable row level security on " + q(ref));
        }
        if (t.forceRowSecurity()) {
            add(Phase.ALTER_TABLES, d, "ALTER TABLE " + rel(t) + " FORCE ROW LEVEL SECURITY;", ref, List.of(), true, false,
                    "force row level security on " + q(ref) + " (applies to the owner too)");
        }
        Table parent = t.partitionOf() == null ? null : toTables.get(t.partitionOf());
        if (parent != null) {
            for (Column col : t.columns()) {
                Column pc = parent.columns().stream().filter(x -> x.name().equals(col.name())).findFirst().orElse(null);
                if (pc == null) {
                    continue;
                }
                if (col.notNull() && !pc.notNull()) {
                    add(Phase.ALTER_COLUMNS, d, alterColumn(t, col.name()) + " SET NOT NULL;", columnRef(t, col.name()),
                            List.of(), true, false, "set NOT NULL on partition column " + q(columnRef(t, col.name())));
                }
                if (!Objects.equals(col.defaultExpr(), pc.defaultExpr())) {
                    add(Phase.ALTER_COLUMNS, d, alterColumn(t, col.name())
                                    + (col.defaultExpr() == null ? " DROP DEFAULT;" : " SET DEFAULT " + col.defaultExpr() + ";"),
                            columnRef(t, col.name()), List.of(), true, false,
                            "set the default of partition column " + q(columnRef(t, col.name())));
                }
            }
        }
        for (Constraint con : t.constraints()) {
            ObjectRef r = constraintRef(t, con.name());
            boolean fk = con.type() == Constraint.Type.FOREIGN_KEY;
            List<Hazard> hz = fk ? List.of(h(HazardType.ACQUIRES_SHARE_LOCK, "locks referenced table "
                    + con.referencedTable() + " against writes while foreign key " + q(r) + " is added")) : List.of();
            add(fk ? Phase.ADD_FOREIGN_KEYS : Phase.ADD_CONSTRAINTS, d,
                    guarded(PgDdl.constraintMissing(t, con.name()), List.of(exec(PgDdl.addConstraint(t, con, false)))),
                    r, hz, true, false, "add " + con.type().label() + " " + q(r) + " of new table " + q(ref));
        }
        for (Index i : t.indexes()) {
            ObjectRef r = indexRef(t, i.name());
            add(Phase.CREATE_INDEXES, d, PgDdl.createIndex(i, false, t.partitioned()) + ";", r, List.of(), true, false,
                    "create index " + q(r) + " of new table " + q(ref));
        }
    }

    @Override
    public Void visit(Change.DropTable c) {
        Table t = c.table();
        ObjectRef ref = t.ref();
        add(Phase.DROP_TABLES, -depth(t), "DROP TABLE IF EXISTS " + rel(t) + ";", ref,
                List.of(h(HazardType.DELETES_DATA, "drops table " + q(ref) + " and all its rows"),
                        h(LOCK, "locks table " + q(ref))),
                true, true, "drop extra table " + q(ref));
        for (Constraint con : t.constraints()) {
            if (con.type() == Constraint.Type.FOREIGN_KEY && con.referencedTable() != null
                    && !con.referencedTable().equals(rel(t)) && (droppedTables.contains(con.referencedTable())
                    || keyChanged.contains(con.referencedTable()))) {
                ObjectRef r = constraintRef(t, con.name());
                add(Phase.DROP_FOREIGN_KEYS, depth(t), "ALTER TABLE IF EXISTS " + rel(t) + " DROP CONSTRAINT IF EXISTS "
                                + id(con.name()) + ";", r, List.of(h(LOCK, "locks table " + q(ref))), true, true,
                        "drop foreign key " + q(r) + " of dropped table " + q(ref) + " before the key it references goes");
            }
        }
        return null;
    }

    /**
     * A table whose settings or partition membership differ: settings (persistence, row level
     * security, storage parameters, inheritance parents) by {@link #planTableSettings}, partition
     * attach / detach only when the parent or bound differs. Tables rebuilt because their
     * partitioning changes get everything from {@link #createTable}.
     */
    @Override
    public Void visit(Change.ModifyTable c) {
        if (partitioningChanged(c.from(), c.to()) || rebuilt.contains(rel(c.to()))) {
            return null; // planRebuiltTables
        }
        planTableSettings(c.from(), c.to());
        if (Objects.equals(c.from().partitionOf(), c.to().partitionOf())
                && Objects.equals(c.from().partitionBound(), c.to().partitionBound())) {
            return null;
        }
        Table t = c.to();
        ObjectRef ref = t.ref();
        List<String> body = new ArrayList<>();
        body.add("FOR dw_row IN SELECT i.inhparent::pg_catalog.regclass::text AS parent FROM pg_catalog.pg_inherits i"
                + " JOIN pg_catalog.pg_class ic ON ic.oid = i.inhrelid AND ic.relispartition"
                + " WHERE i.inhrelid = " + regclass(t) + " LOOP");
        body.add("    EXECUTE 'ALTER TABLE ' || dw_row.parent || ' DETACH PARTITION ' || " + lit(rel(t)) + ";");
        body.add("END LOOP;");
        String cond;
        if (t.partitionOf() != null) {
            body.add(exec("ALTER TABLE " + t.partitionOf() + " ATTACH PARTITION " + rel(t) + " " + t.partitionBound()));
            cond = "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid"
                    + " WHERE i.inhrelid = " + regclass(t) + " AND i.inhparent = pg_catalog.to_regclass("
                    + lit(t.partitionOf()) + ") AND pg_catalog.pg_get_expr(c.relpartbound, c.oid) = "
                    + lit(t.partitionBound()) + ")";
        } else {
            cond = "EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = " + regclass(t) + " AND relispartition)";
        }
        List<Hazard> hz = new ArrayList<>(List.of(h(LOCK, "locks table " + q(ref) + " and its partitioned parent")));
        if (t.partitionOf() != null) {
            hz.add(h(HazardType.VALIDATES_DATA, "scans " + q(ref) + " to check its rows fit the partition bound"));
        }
        add(Phase.ALTER_TABLES, depth(t), guarded(cond, body), ref, hz, true, false,
                t.partitionOf() != null ? "attach " + q(ref) + " as partition of " + t.partitionOf() + " "
                        + t.partitionBound() : "detach partition " + q(ref));
        return null;
    }

    /**
     * The table-level settings of an existing table (PostgreSQL docs, ALTER TABLE), each statement
     * idempotent:
     * <ul>
     *   <li>{@code SET LOGGED} / {@code SET UNLOGGED}, guarded on {@code relpersistence} (rewrites
     *       the table);</li>
     *   <li>{@code ENABLE} / {@code DISABLE ROW LEVEL SECURITY}, {@code [NO] FORCE ROW LEVEL
     *       SECURITY} (naturally idempotent);</li>
     *   <li>{@code SET (name=value, ...)} for the wanted storage parameters and {@code RESET (name,
     *       ...)} for the extra ones (naturally idempotent);</li>
     *   <li>{@code NO INHERIT parent} for each parent that must go, guarded on {@code pg_inherits},
     *       early (phase {@link Phase#DROP_CONSTRAINTS}, first in it) so inherited constraints and
     *       columns can be dropped afterwards; {@code INHERIT parent} for each missing parent, guarded,
     *       late (after the child's columns and constraints are added: PostgreSQL requires the child to
     *       have the parent's columns and CHECK constraints). A change of the parents' order only is
     *       not repaired (it would need every parent removed and added again).</li>
     * </ul>
     */
    private void planTableSettings(Table f, Table t) {
        ObjectRef ref = t.ref();
        int d = depth(t);
        String lockMsg = "locks table " + q(ref);
        if (f.unlogged() != t.unlogged()) {
            String cond = "EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = " + regclass(t)
                    + " AND relpersistence = " + lit(t.unlogged() ? "p" : "u") + ")";
            add(Phase.ALTER_TABLES, d, guarded(cond, List.of(exec("ALTER TABLE " + rel(t)
                            + (t.unlogged() ? " SET UNLOGGED" : " SET LOGGED")))), ref,
                    List.of(h(HazardType.TABLE_REWRITE, "rewrites " + q(ref) + " and its indexes"
                                    + (t.unlogged() ? "; its data is lost on a crash afterwards" : " into the WAL")),
                            h(LOCK, lockMsg)),
                    true, false, "make table " + q(ref) + (t.unlogged() ? " UNLOGGED" : " LOGGED"));
        }
        if (f.rowSecurity() != t.rowSecurity()) {
            add(Phase.ALTER_TABLES, d, "ALTER TABLE " + rel(t) + (t.rowSecurity() ? " ENABLE" : " DISABLE")
                            + " ROW LEVEL SECURITY;", ref, List.of(h(LOCK, lockMsg)), true, false,
                    (t.rowSecurity() ? "enable" : "disable") + " row level security on " + q(ref));
        }
        if (f.forceRowSecurity() != t.forceRowSecurity()) {
            add(Phase.ALTER_TABLES, d, "ALTER TABLE " + rel(t) + (t.forceRowSecurity() ? " FORCE" : " NO FORCE")
                            + " ROW LEVEL SECURITY;", ref, List.of(h(LOCK, lockMsg)), true, false,
                    (t.forceRowSecurity() ? "force" : "stop forcing") + " row level security on " + q(ref));
        }
        if (!f.options().equals(t.options())) {
            List<String> set = t.options().stream().filter(o -> !f.options().contains(o)).toList();
            if (!set.isEmpty()) {
                add(Phase.ALTER_TABLES, d, "ALTER TABLE " + rel(t) + " SET " + PgDdl.optionList(set) + ";", ref,
                        List.of(h(LOCK, lockMsg)), true, false, "set storage parameters " + set + " of " + q(ref));
            }
            String reset = PgDdl.resetList(f.options(), t.options());
            if (reset != null) {
                add(Phase.ALTER_TABLES, d, "ALTER TABLE " + rel(t) + " RESET " + reset + ";", ref,
                        List.of(h(LOCK, lockMsg)), true, false, "reset storage parameters " + reset + " of " + q(ref));
            }
        }
        if (!f.inherits().equals(t.inherits()) && t.partitionOf() == null) {
            for (String parent : f.inherits()) {
                if (t.inherits().contains(parent)) {
                    continue;
                }
                add(Phase.DROP_CONSTRAINTS, Integer.MIN_VALUE, guarded(inherits(t, parent),
                                List.of(exec("ALTER TABLE " + rel(t) + " NO INHERIT " + parent))), ref,
                        List.of(h(LOCK, lockMsg + " and " + parent)), true, false,
                        "stop " + q(ref) + " inheriting from " + parent);
            }
            for (String parent : t.inherits()) {
                if (f.inherits().contains(parent)) {
                    continue;
                }
                add(Phase.ADD_CONSTRAINTS, Integer.MAX_VALUE - 1000 + d, guarded("NOT " + inherits(t, parent),
                                List.of(exec("ALTER TABLE " + rel(t) + " INHERIT " + parent))), ref,
                        List.of(h(LOCK, lockMsg + " and " + parent)), true, false,
                        "make " + q(ref) + " inherit from " + parent);
            }
        }
    }

    /** @return condition: table {@code t} inherits directly from {@code parent} */
    private static String inherits(Table t, String parent) {
        return "EXISTS (SELECT 1 FROM pg_catalog.pg_inherits WHERE inhrelid = " + regclass(t)
                + " AND inhparent = pg_catalog.to_regclass(" + lit(parent) + "))";
    }

    private void planRebuiltTables() {
        for (Table t : to.tables()) {
            if (!rebuilt.contains(rel(t))) {
                continue;
            }
            Table old = fromTables.get(rel(t));
            if (old != null && t.partitionOf() == null) {
                String cond = t.partitioned()
                        ? "EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = " + regclass(t)
                        + " AND (relkind <> 'p' OR pg_catalog.pg_get_partkeydef(oid) <> " + lit(t.partitionKey()) + "))"
                        : "EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = " + regclass(t) + " AND relkind = 'p')";
                add(Phase.DROP_TABLES, -depth(t), guarded(cond, List.of(exec("DROP TABLE " + rel(t)))), t.ref(),
                        List.of(h(HazardType.DELETES_DATA, "drops table " + q(t.ref())
                                        + " and all its rows to change its partitioning"),
                                h(LOCK, "locks table " + q(t.ref()))),
                        true, true, "rebuild table " + q(t.ref()) + " with partitioning "
                                + (t.partitioned() ? t.partitionKey() : "none"));
            }
            createTable(t, "recreate rebuilt table ");
            reattach(t.schema(), t.name(), Set.of(ObjectKind.TABLE));
        }
    }

    // ------------------------------------------------------------------ columns

    @Override
    public Void visit(Change.AddColumn c) {
        Table t = c.table();
        if (skipChildChange(t) || t.partitionOf() != null) {
            return null; // partitions take their columns from the parent
        }
        Column col = c.column();
        ObjectRef r = c.ref();
        List<Hazard> hz = new ArrayList<>();
        hz.add(h(LOCK, "locks table " + q(t.ref()) + " briefly"));
        if (col.generatedExpr() != null || col.identity() != Column.Identity.NONE || volatileDefault(col.defaultExpr())) {
            hz.add(h(HazardType.TABLE_REWRITE, "fills " + q(r) + " for every existing row (rewrites " + q(t.ref()) + ")"));
        }
        if (col.notNull() && col.defaultExpr() == null && col.identity() == Column.Identity.NONE
                && col.generatedExpr() == null) {
            hz.add(h(HazardType.VALIDATES_DATA, "NOT NULL column " + q(r) + " without a default fails on a non-empty table"));
        }
        add(Phase.ADD_COLUMNS, depth(t), "ALTER TABLE " + rel(t) + " ADD COLUMN IF NOT EXISTS "
                + PgDdl.columnDefinition(col) + ";", r, hz, true, false, "add missing column " + q(r));
        return null;
    }

    private static boolean volatileDefault(String expr) {
        if (expr == null) {
            return false;
        }
        for (String f : List.of("nextval(", "random(", "gen_random_uuid(", "clock_timestamp(", "uuid_generate_")) {
            if (expr.contains(f)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Void visit(Change.DropColumn c) {
        Table t = c.table();
        if (skipChildChange(t) || t.partitionOf() != null) {
            return null; // dropped through the parent
        }
        ObjectRef r = c.ref();
        add(Phase.DROP_COLUMNS, depth(t), "ALTER TABLE " + rel(t) + " DROP COLUMN IF EXISTS " + id(c.column().name()) + ";",
                r, List.of(h(HazardType.DELETES_DATA, "drops column " + q(r) + " and its data"),
                        h(LOCK, "locks table " + q(t.ref()))),
                true, true, "drop extra column " + q(r));
        return null;
    }

    @Override
    public Void visit(Change.ModifyColumn c) {
        Table t = c.table();
        if (skipChildChange(t)) {
            return null;
        }
        boolean partition = t.partitionOf() != null;
        Column f = c.from();
        Column n = c.to();
        Set<ChangeKind> k = c.changes();
        ObjectRef r = c.ref();
        int d = depth(t);
        String lockMsg = "locks table " + q(t.ref());
        boolean typeChange = !partition && (k.contains(ChangeKind.TYPE) || k.contains(ChangeKind.COLLATION));
        boolean identityAdded = !partition && k.contains(ChangeKind.IDENTITY) && f.identity() == Column.Identity.NONE;

        if (!partition && k.contains(ChangeKind.GENERATED) && n.generatedExpr() != null) {
            add(Phase.ALTER_COLUMNS, d, guarded(PgDdl.generatedDiffers(t, n), List.of(
                            exec("ALTER TABLE " + rel(t) + " DROP COLUMN IF EXISTS " + id(n.name())),
                            exec("ALTER TABLE " + rel(t) + " ADD COLUMN " + PgDdl.columnDefinition(n)))),
                    r, List.of(h(HazardType.DELETES_DATA, "drops and re-adds generated column " + q(r)
                                    + "; indexes, constraints and views using it are dropped with it"),
                            h(HazardType.TABLE_REWRITE, "computes " + q(r) + " for every row of " + q(t.ref())),
                            h(LOCK, lockMsg)),
                    true, true, "change the generated expression of " + q(r) + " to " + n.generatedExpr());
            return null;
        }
        boolean dropDefaultFirst = f.defaultExpr() != null && (typeChange || identityAdded);
        if (dropDefaultFirst) {
            // guarded: once the column is an identity column, DROP DEFAULT is an error
            add(Phase.ALTER_COLUMNS, d, guarded(PgDdl.columnHasPlainDefault(t, n.name()),
                            List.of(exec(alterColumn(t, n.name()) + " DROP DEFAULT"))), r, List.of(h(LOCK, lockMsg)),
                    true, false, "drop the default of " + q(r) + " before changing it");
        }
        if (!partition && k.contains(ChangeKind.IDENTITY) && n.identity() == Column.Identity.NONE) {
            add(Phase.ALTER_COLUMNS, d, alterColumn(t, n.name()) + " DROP IDENTITY IF EXISTS;", r,
                    List.of(h(LOCK, lockMsg)), true, false, "drop the identity of " + q(r));
        }
        if (!partition && k.contains(ChangeKind.GENERATED)) {
            add(Phase.ALTER_COLUMNS, d, alterColumn(t, n.name()) + " DROP EXPRESSION IF EXISTS;", r,
                    List.of(h(LOCK, lockMsg)), true, false, "make " + q(r) + " a plain column (drop its generation expression)");
        }
        if (typeChange) {
            planGeneratedDependents(t, f, n);
            // no direct cast (boolean to an enum, ...): go through text
            add(Phase.ALTER_COLUMNS, d, guarded(PgDdl.columnTypeDiffers(t, n), List.of("BEGIN",
                            "    " + exec(PgDdl.alterColumnType(t, n, false)),
                            "EXCEPTION WHEN cannot_coerce THEN",
                            "    " + exec(PgDdl.alterColumnType(t, n, true)),
                            "END;")),
                    r, List.of(h(HazardType.TABLE_REWRITE, "may rewrite " + q(t.ref()) + " and rebuild its indexes"),
                            h(LOCK, lockMsg)),
                    true, false, "change the type of " + q(r) + " from " + f.type() + " to " + n.type()
                            + (n.collation() != null ? " COLLATE " + n.collation() : ""));
        }
        if (k.contains(ChangeKind.NULLABILITY)) {
            if (n.notNull()) {
                add(Phase.ALTER_COLUMNS, d, alterColumn(t, n.name()) + " SET NOT NULL;", r,
                        List.of(h(HazardType.VALIDATES_DATA, "scans " + q(t.ref()) + " to check " + q(r) + " has no NULLs"),
                                h(LOCK, lockMsg)), true, false, "set NOT NULL on " + q(r));
            } else {
                add(Phase.ALTER_COLUMNS, d, alterColumn(t, n.name()) + " DROP NOT NULL;", r, List.of(h(LOCK, lockMsg)),
                        true, false, "drop NOT NULL on " + q(r));
            }
        }
        if (n.defaultExpr() != null && (k.contains(ChangeKind.DEFAULT) || dropDefaultFirst)) {
            add(Phase.ALTER_COLUMNS, d, alterColumn(t, n.name()) + " SET DEFAULT " + n.defaultExpr() + ";", r,
                    List.of(h(LOCK, lockMsg)), true, false, "set the default of " + q(r) + " to " + n.defaultExpr());
        } else if (n.defaultExpr() == null && k.contains(ChangeKind.DEFAULT) && !dropDefaultFirst
                && f.defaultExpr() != null) {
            add(Phase.ALTER_COLUMNS, d, alterColumn(t, n.name()) + " DROP DEFAULT;", r, List.of(h(LOCK, lockMsg)),
                    true, false, "drop the default of " + q(r));
        }
        if (!partition && k.contains(ChangeKind.IDENTITY) && n.identity() != Column.Identity.NONE) {
            String kind = n.identity() == Column.Identity.ALWAYS ? "ALWAYS" : "BY DEFAULT";
            if (f.identity() == Column.Identity.NONE) {
                add(Phase.ALTER_COLUMNS, d, guarded(PgDdl.columnHasNoIdentity(t, n),
                                List.of(exec(alterColumn(t, n.name()) + " ADD " + PgDdl.identity(n)))), r,
                        List.of(h(LOCK, lockMsg)), true, false, "make " + q(r) + " an identity column (" + kind + ")");
            } else {
                add(Phase.ALTER_COLUMNS, d, alterColumn(t, n.name()) + " SET GENERATED " + kind + ";", r,
                        List.of(h(LOCK, lockMsg)), true, false, "make identity column " + q(r) + " GENERATED " + kind);
            }
        }
        if (!partition && f.identity() != Column.Identity.NONE && n.identity() != Column.Identity.NONE
                && n.identityOptions() != null && !n.identityOptions().equals(f.identityOptions())) {
            // after any type change: ALTER COLUMN TYPE moves the sequence to the new type first.
            // When the sequence's current value lies outside the new bounds PostgreSQL refuses
            // (invalid_parameter_value) unless the sequence restarts: only then RESTART.
            String set = alterColumn(t, n.name()) + " " + PgDdl.identitySetOptions(n.identityOptions());
            add(Phase.ALTER_COLUMNS, d, guarded("EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = "
                            + regclass(t) + " AND attname = " + lit(n.name()) + " AND NOT attisdropped AND attidentity <> '')",
                            List.of("BEGIN",
                                    "    " + exec(set),
                                    "EXCEPTION WHEN invalid_parameter_value THEN",
                                    "    " + exec(set + " RESTART"),
                                    "END;")), r,
                    List.of(h(LOCK, lockMsg), h(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, "restarts the identity sequence of "
                            + q(r) + " at its START value when its current value is outside the new bounds")),
                    true, false, "set the identity sequence options of " + q(r) + " to " + n.identityOptions());
        }
        return null;
    }

    /**
     * PostgreSQL refuses to change the type of a column a generated column reads: such generated
     * columns (present on both sides) are dropped before (only while the type still differs) and
     * added again afterwards, with the indexes and constraints of {@code to} that mention them.
     */
    private void planGeneratedDependents(Table t, Column f, Column n) {
        Table old = fromTable(t);
        if (old == null) {
            return;
        }
        for (Column g : old.columns()) {
            Column target = t.columns().stream().filter(x -> x.name().equals(g.name())).findFirst().orElse(null);
            if (g.generatedExpr() == null || target == null || target.generatedExpr() == null
                    || !ViewGraph.mentions(g.generatedExpr(), id(f.name()))) {
                continue;
            }
            ObjectRef r = columnRef(t, g.name());
            int d = depth(t);
            add(Phase.DROP_COLUMNS, d, guarded(PgDdl.columnTypeDiffers(t, n),
                            List.of(exec("ALTER TABLE " + rel(t) + " DROP COLUMN IF EXISTS " + id(g.name())))), r,
                    List.of(h(LOCK, "locks table " + q(t.ref())), h(HazardType.HAS_UNTRACKABLE_DEPENDENCIES,
                            "drops generated column " + q(r) + " (added again later in this plan) so that "
                                    + q(columnRef(t, f.name())) + " can change type")),
                    true, false, "drop generated column " + q(r) + " while the type of " + f.name() + " changes");
            add(Phase.ADD_COLUMNS, d, "ALTER TABLE " + rel(t) + " ADD COLUMN IF NOT EXISTS "
                            + PgDdl.columnDefinition(target) + ";", r,
                    List.of(h(LOCK, "locks table " + q(t.ref())), h(HazardType.TABLE_REWRITE, "computes " + q(r)
                            + " for every row of " + q(t.ref()))),
                    true, false, "add generated column " + q(r) + " again");
            for (Index i : t.indexes()) {
                if (ViewGraph.mentions(PgDdl.indexTail(i), id(g.name()))) {
                    ObjectRef ir = indexRef(t, i.name());
                    add(Phase.CREATE_INDEXES, d, PgDdl.createIndex(i, false, t.partitioned()) + ";", ir,
                            buildHazards(t, ir, false), true, false, "create index " + q(ir) + " again");
                }
            }
            for (Constraint con : t.constraints()) {
                if (ViewGraph.mentions(con.definition(), id(g.name())) || con.columns().contains(g.name())) {
                    addConstraint(t, con, "add again ");
                }
            }
        }
    }

    // ------------------------------------------------------------------ constraints

    @Override
    public Void visit(Change.AddConstraint c) {
        if (skipChildChange(c.table())) {
            return null;
        }
        addConstraint(c.table(), c.constraint(), "add missing ");
        return null;
    }

    /** Adds a constraint to an existing table: NOT VALID + VALIDATE for checks and foreign keys. */
    private void addConstraint(Table t, Constraint con, String whyPrefix) {
        ObjectRef r = constraintRef(t, con.name());
        int d = depth(t);
        String lockMsg = "locks table " + q(t.ref());
        boolean fk = con.type() == Constraint.Type.FOREIGN_KEY;
        Phase phase = fk ? Phase.ADD_FOREIGN_KEYS : Phase.ADD_CONSTRAINTS;
        String what = whyPrefix + con.type().label() + " " + q(r);
        if (con.type() == Constraint.Type.CHECK || fk) {
            boolean notValidPossible = !(fk && t.partitioned());
            boolean validate = notValidPossible && !con.definition().endsWith(" NOT VALID");
            List<Hazard> hz = new ArrayList<>();
            hz.add(fk ? h(HazardType.ACQUIRES_SHARE_LOCK, "locks " + q(t.ref()) + " and " + con.referencedTable()
                    + " against writes (SHARE ROW EXCLUSIVE)") : h(LOCK, lockMsg));
            if (!notValidPossible) {
                hz.add(h(HazardType.VALIDATES_DATA, "checks every row of " + q(t.ref()) + " while holding the lock"));
            }
            add(phase, d, guarded(PgDdl.constraintMissing(t, con.name()),
                            List.of(exec(PgDdl.addConstraint(t, con, notValidPossible)))),
                    r, hz, true, false, validate ? what + " (NOT VALID, validated next)" : what);
            if (validate) {
                add(phase, d, "ALTER TABLE " + rel(t) + " VALIDATE CONSTRAINT " + id(con.name()) + ";", r,
                        List.of(h(HazardType.VALIDATES_DATA, "scans " + q(t.ref()) + " to validate " + q(r))),
                        true, false, "validate " + con.type().label() + " " + q(r));
            }
        } else {
            add(phase, d, guarded(PgDdl.constraintMissing(t, con.name()), List.of(exec(PgDdl.addConstraint(t, con, false)))),
                    r, List.of(h(HazardType.INDEX_BUILD, "builds the index of " + q(r)), h(LOCK, lockMsg)),
                    true, false, what);
        }
    }

    @Override
    public Void visit(Change.DropConstraint c) {
        Table t = c.table();
        if (skipChildChange(t)) {
            return null;
        }
        Constraint con = c.constraint();
        ObjectRef r = c.ref();
        List<Hazard> hz = new ArrayList<>();
        hz.add(h(LOCK, "locks table " + q(t.ref())));
        if (isKey(con)) {
            hz.add(h(HazardType.INDEX_DROPPED, "drops the index of " + q(r)));
        }
        add(con.type() == Constraint.Type.FOREIGN_KEY ? Phase.DROP_FOREIGN_KEYS : Phase.DROP_CONSTRAINTS, depth(t),
                "ALTER TABLE " + rel(t) + " DROP CONSTRAINT IF EXISTS " + id(con.name()) + ";", r, hz, true, false,
                "drop extra " + con.type().label() + " " + q(r));
        return null;
    }

    @Override
    public Void visit(Change.ModifyConstraint c) {
        Table t = c.table();
        if (skipChildChange(t)) {
            return null;
        }
        Constraint f = c.from();
        Constraint n = c.to();
        ObjectRef r = c.ref();
        int d = depth(t);
        boolean fk = n.type() == Constraint.Type.FOREIGN_KEY;
        Phase phase = fk ? Phase.ADD_FOREIGN_KEYS : Phase.ADD_CONSTRAINTS;
        if (f.type() == n.type() && f.definition().equals(n.definition() + " NOT VALID")) {
            add(phase, d, "ALTER TABLE " + rel(t) + " VALIDATE CONSTRAINT " + id(n.name()) + ";", r,
                    List.of(h(HazardType.VALIDATES_DATA, "scans " + q(t.ref()) + " to validate " + q(r))),
                    true, false, "validate " + n.type().label() + " " + q(r));
            return null;
        }
        boolean checkLike = n.type() == Constraint.Type.CHECK || fk;
        boolean notValid = checkLike && !(fk && t.partitioned());
        boolean validate = notValid && !n.definition().endsWith(" NOT VALID");
        List<Hazard> hz = new ArrayList<>();
        hz.add(h(LOCK, "locks table " + q(t.ref())));
        if (isKey(f)) {
            hz.add(h(HazardType.INDEX_DROPPED, "drops the index of the old " + q(r)));
        }
        if (isKey(n)) {
            hz.add(h(HazardType.INDEX_BUILD, "builds the index of " + q(r)));
        }
        if (!notValid) {
            hz.add(h(HazardType.VALIDATES_DATA, "checks every row of " + q(t.ref()) + " while holding the lock"));
        }
        add(phase, d, guarded(PgDdl.constraintDiffers(t, n), List.of(
                        exec("ALTER TABLE " + rel(t) + " DROP CONSTRAINT IF EXISTS " + id(n.name())),
                        exec(PgDdl.addConstraint(t, n, notValid)))),
                r, hz, true, false, "replace " + n.type().label() + " " + q(r) + " with " + n.definition());
        if (validate) {
            add(phase, d, "ALTER TABLE " + rel(t) + " VALIDATE CONSTRAINT " + id(n.name()) + ";", r,
                    List.of(h(HazardType.VALIDATES_DATA, "scans " + q(t.ref()) + " to validate " + q(r))),
                    true, false, "validate " + n.type().label() + " " + q(r));
        }
        return null;
    }

    /** Foreign keys (not otherwise changed) that reference a table whose keys change: drop, then re-add. */
    private void planDependentForeignKeys() {
        if (keyChanged.isEmpty()) {
            return;
        }
        for (Table t : from.tables()) {
            if (droppedTables.contains(rel(t)) || rebuilt.contains(rel(t))) {
                continue;
            }
            for (Constraint con : t.constraints()) {
                if (con.type() != Constraint.Type.FOREIGN_KEY || con.referencedTable() == null
                        || !keyChanged.contains(con.referencedTable())
                        || fkHandled.contains(rel(t) + '\0' + con.name())) {
                    continue;
                }
                ObjectRef r = constraintRef(t, con.name());
                add(Phase.DROP_FOREIGN_KEYS, depth(t), "ALTER TABLE " + rel(t) + " DROP CONSTRAINT IF EXISTS "
                                + id(con.name()) + ";", r, List.of(h(LOCK, "locks table " + q(t.ref()))), true, false,
                        "drop foreign key " + q(r) + " while the keys of " + con.referencedTable() + " change");
                Table target = toTables.get(rel(t));
                if (target == null || fkModified.contains(rel(t) + '\0' + con.name())) {
                    continue;
                }
                target.constraints().stream().filter(x -> x.name().equals(con.name())).findFirst()
                        .ifPresent(x -> addConstraint(target, x, "re-add "));
            }
        }
    }

    // ------------------------------------------------------------------ indexes

    private boolean concurrent(Table t) {
        return options.concurrently() && !t.partitioned();
    }

    private List<Hazard> buildHazards(Table t, ObjectRef r, boolean concurrently) {
        return concurrently
                ? List.of(h(HazardType.INDEX_BUILD, "builds index " + q(r) + " without blocking writes"),
                h(HazardType.NON_TRANSACTIONAL, "CREATE INDEX CONCURRENTLY " + q(r) + " cannot run in a transaction block"))
                : List.of(h(HazardType.ACQUIRES_SHARE_LOCK, "blocks writes to " + q(t.ref()) + " while index " + q(r)
                + " is built"), h(HazardType.INDEX_BUILD, "builds index " + q(r)));
    }

    private List<Hazard> dropHazards(Table t, ObjectRef r, boolean concurrently) {
        return concurrently
                ? List.of(h(HazardType.INDEX_DROPPED, "drops index " + q(r) + "; queries using it may slow down"),
                h(HazardType.NON_TRANSACTIONAL, "DROP INDEX CONCURRENTLY " + q(r) + " cannot run in a transaction block"))
                : List.of(h(HazardType.INDEX_DROPPED, "drops index " + q(r) + "; queries using it may slow down"),
                h(LOCK, "locks table " + q(t.ref()) + " while index " + q(r) + " is dropped"));
    }

    @Override
    public Void visit(Change.AddIndex c) {
        Table t = c.table();
        if (skipChildChange(t)) {
            return null;
        }
        boolean conc = concurrent(t);
        add(Phase.CREATE_INDEXES, depth(t), PgDdl.createIndex(c.index(), conc, t.partitioned()) + ";", c.ref(),
                buildHazards(t, c.ref(), conc), !conc, false, "create missing index " + q(c.ref()));
        return null;
    }

    @Override
    public Void visit(Change.DropIndex c) {
        Table t = c.table();
        if (skipChildChange(t)) {
            return null;
        }
        boolean conc = concurrent(t);
        add(Phase.DROP_INDEXES, depth(t), dropIndex(t, c.index(), conc) + ";", c.ref(), dropHazards(t, c.ref(), conc),
                !conc, false, "drop extra index " + q(c.ref()));
        return null;
    }

    private static String dropIndex(Table t, Index i, boolean concurrently) {
        return "DROP INDEX " + (concurrently ? "CONCURRENTLY " : "") + "IF EXISTS " + rel(t.schema(), i.name());
    }

    @Override
    public Void visit(Change.ModifyIndex c) {
        Table t = c.table();
        if (skipChildChange(t)) {
            return null;
        }
        boolean conc = concurrent(t);
        ObjectRef r = c.ref();
        String why = "rebuild index " + q(r) + (c.to().definition().equals(c.from().definition())
                ? " (it is invalid)" : " as " + c.to().definition());
        if (conc) {
            add(Phase.DROP_INDEXES, depth(t), dropIndex(t, c.from(), true) + ";", r, dropHazards(t, r, true), false, false,
                    "drop index " + q(r) + " to rebuild it");
            add(Phase.CREATE_INDEXES, depth(t), PgDdl.createIndex(c.to(), true, false) + ";", r,
                    buildHazards(t, r, true), false, false, why);
            return null;
        }
        String cond = "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index WHERE indexrelid = "
                + regclass(t.schema(), c.to().name()) + " AND indisvalid AND pg_catalog.pg_get_indexdef(indexrelid) = "
                + lit(c.to().definition()) + ")";
        List<Hazard> hz = new ArrayList<>(dropHazards(t, r, false));
        hz.addAll(buildHazards(t, r, false));
        add(Phase.CREATE_INDEXES, depth(t), guarded(cond, List.of(exec(dropIndex(t, c.from(), false)),
                exec(PgDdl.createIndex(c.to(), false, t.partitioned())))), r, hz, true, false, why);
        return null;
    }

    // ------------------------------------------------------------------ views

    @Override
    public Void visit(Change.AddView c) {
        return null; // planViews
    }

    @Override
    public Void visit(Change.DropView c) {
        return null; // planViews
    }

    @Override
    public Void visit(Change.ModifyView c) {
        return null; // planViews
    }

    private static String viewKey(View v) {
        return rel(v.schema(), v.name());
    }

    /**
     * Triggers and policies of a view or table the plan drops and creates again, and comments,
     * privileges and owners of a view or table the plan creates, creates again or replaces
     * (dropping it loses them, and a view's replacement may fall back to drop-and-create), and of its
     * columns, constraints and indexes: planned again from {@code to}, once each (they are idempotent).
     *
     * @param schema the relation's schema
     * @param name   the relation's name
     * @param kinds  the kinds the relation itself may be targeted as
     */
    private void reattach(String schema, String name, Set<ObjectKind> kinds) {
        Set<ObjectRef> modified = new HashSet<>();
        for (Change c : objectChanges) {
            if (c instanceof Change.ModifyObject) {
                modified.add(c.ref());
            }
        }
        for (CatalogObject o : to.objects()) {
            ObjectRef r = o.ref();
            if ((o.kind() == ObjectKind.TRIGGER || o.kind() == ObjectKind.POLICY)
                    && schema.equals(r.schema()) && name.equals(r.parent())) {
                // dropped with their relation; a modified one still gets its own rebuild (create is guarded)
                if (modified.contains(r) || plannedObjects.add(r)) {
                    ObjectPlanners.forKind(o.kind()).create(o, emitter);
                }
                continue;
            }
            ObjectRef t = o.target();
            if (t == null || !o.kind().attached() || !schema.equals(t.schema())) {
                continue;
            }
            boolean onIt = t.parent() == null ? t.name().equals(name) && kinds.contains(t.kind()) : t.parent().equals(name);
            if (onIt && plannedObjects.add(o.ref())) {
                ObjectPlanners.forKind(o.kind()).create(o, emitter);
            }
        }
    }

    private void planViews() {
        Map<String, View> modifiedTo = new HashMap<>();
        modifiedViews.forEach(m -> modifiedTo.put(viewKey(m.to()), m.to()));
        Set<String> dropped = new HashSet<>();
        droppedViews.forEach(v -> dropped.add(viewKey(v)));

        // views of `from` that must go before their relations change, closed over view dependencies
        Set<String> changing = new HashSet<>(changedRelations);
        changing.addAll(dropped);
        changing.addAll(modifiedTo.keySet());
        // views only in `to` count too: when the plan runs a second time they exist and block drops
        Map<String, View> existing = new LinkedHashMap<>();
        from.views().forEach(v -> existing.put(viewKey(v), v));
        addedViews.forEach(v -> existing.putIfAbsent(viewKey(v), v));
        Set<String> affected = new HashSet<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (View v : existing.values()) {
                String key = viewKey(v);
                if (affected.contains(key)) {
                    continue;
                }
                for (String rel : changing) {
                    if (!rel.equals(key) && ViewGraph.dependsOn(v, rel)) {
                        affected.add(key);
                        changing.add(key);
                        grew = true;
                        break;
                    }
                }
            }
        }
        // modified materialized views are always dropped and created again
        for (View v : modifiedTo.values()) {
            if (v.materialized()) {
                affected.add(viewKey(v));
            }
        }

        Map<String, View> toViews = new HashMap<>();
        to.views().forEach(v -> toViews.put(viewKey(v), v));
        Map<String, View> toDrop = new LinkedHashMap<>();
        for (View v : existing.values()) {
            if (dropped.contains(viewKey(v)) || affected.contains(viewKey(v))) {
                toDrop.put(viewKey(v), v);
            }
        }
        List<View> dropOrder = ViewGraph.dependencyOrder(toDrop.values());
        for (int i = 0; i < dropOrder.size(); i++) {
            View v = dropOrder.get(i);
            ObjectRef r = v.ref();
            boolean removed = dropped.contains(viewKey(v));
            List<Hazard> hz = new ArrayList<>();
            hz.add(h(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, removed
                    ? "drops " + r.kind().label() + " " + q(r) + "; whatever queries it breaks"
                    : "drops " + r.kind().label() + " " + q(r) + " so the objects it uses can change; it is created "
                    + "again later in this plan, but grants and comments on it are lost"));
            boolean destructive = removed && v.materialized();
            if (destructive) {
                hz.add(h(HazardType.DELETES_DATA, "drops the stored rows of materialized view " + q(r)));
            }
            View sameName = toViews.get(viewKey(v));
            String sql = sameName != null && sameName.materialized() != v.materialized()
                    ? guarded("EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = " + regclass(v.schema(), v.name())
                    + " AND relkind = " + lit(v.materialized() ? "m" : "v") + ")", List.of(exec(PgDdl.dropView(v))))
                    : PgDdl.dropView(v) + ";";
            add(Phase.DROP_VIEWS, -i, sql, r, hz, true, destructive,
                    (removed ? "drop extra " : "drop dependent ") + r.kind().label() + " " + q(r)
                            + (removed ? "" : " before the objects it uses change"));
        }

        Map<String, View> toCreate = new LinkedHashMap<>();
        addedViews.forEach(v -> toCreate.put(viewKey(v), v));
        for (String key : affected) {
            if (toViews.containsKey(key)) {
                toCreate.put(key, toViews.get(key));
            }
        }
        toCreate.putAll(modifiedTo);
        List<View> createOrder = ViewGraph.dependencyOrder(toCreate.values());
        for (int i = 0; i < createOrder.size(); i++) {
            View v = createOrder.get(i);
            String key = viewKey(v);
            ObjectRef r = v.ref();
            String label = r.kind().label();
            reattach(v.schema(), v.name(), Set.of(ObjectKind.VIEW, ObjectKind.MATERIALIZED_VIEW));
            if (modifiedTo.containsKey(key) && !affected.contains(key)) {
                String replace = PgDdl.createView(v);
                List<String> body = List.of("BEGIN",
                        "    " + exec(replace),
                        "EXCEPTION WHEN invalid_table_definition THEN",
                        "    " + exec(PgDdl.dropView(v)),
                        "    " + exec(replace.replaceFirst("^CREATE OR REPLACE VIEW ", "CREATE VIEW ")),
                        "END;");
                add(Phase.CREATE_VIEWS, i, guarded(PgDdl.viewDiffers(v), body), r,
                        List.of(h(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, "replaces the query of " + label + " " + q(r)
                                + "; when its columns change it is dropped and created again (grants are lost)")),
                        true, false, "replace the definition of " + label + " " + q(r));
            } else {
                boolean isNew = addedViews.contains(v);
                List<Hazard> hz = affected.contains(key) && !isNew
                        ? List.of(h(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, "creates " + label + " " + q(r)
                        + " again after the objects it uses changed"))
                        : List.of();
                add(Phase.CREATE_VIEWS, i, PgDdl.createView(v) + ";", r, hz, true, false,
                        (isNew ? "create missing " : "create again ") + label + " " + q(r));
                if (v.materialized()) {
                    // a materialized view created (again) has no indexes yet
                    for (CatalogObject ix : to.objects(ObjectKind.INDEX)) {
                        if (v.schema().equals(ix.ref().schema()) && v.name().equals(ix.ref().parent())
                                && plannedObjects.add(ix.ref())) {
                            ObjectPlanners.forKind(ObjectKind.INDEX).create(ix, emitter);
                        }
                    }
                }
            }
        }
        planViewOptions(toCreate.keySet());
    }

    /**
     * Views and materialized views whose query is unchanged but whose options differ, and which the
     * plan does not create again anyway: {@code ALTER [MATERIALIZED] VIEW ... SET (...)} for the
     * wanted options, {@code RESET (...)} for the extra ones (naturally idempotent; PostgreSQL docs,
     * ALTER VIEW and ALTER MATERIALIZED VIEW), after the views are created.
     *
     * @param recreated keys of the views this plan creates (again) with their options
     */
    private void planViewOptions(Set<String> recreated) {
        for (Change.ModifyView m : viewOptionChanges) {
            View v = m.to();
            if (recreated.contains(viewKey(v))) {
                continue;
            }
            ObjectRef r = v.ref();
            String alter = "ALTER " + (v.materialized() ? "MATERIALIZED VIEW " : "VIEW ") + rel(v.schema(), v.name());
            List<String> set = v.options().stream().filter(o -> !m.from().options().contains(o)).toList();
            if (!set.isEmpty()) {
                add(Phase.CREATE_VIEWS, Integer.MAX_VALUE, alter + " SET " + PgDdl.optionList(set) + ";", r,
                        List.of(h(LOCK, "locks " + r.kind().label() + " " + q(r))), true, false,
                        "set options " + set + " of " + r.kind().label() + " " + q(r));
            }
            String reset = PgDdl.resetList(m.from().options(), v.options());
            if (reset != null) {
                add(Phase.CREATE_VIEWS, Integer.MAX_VALUE, alter + " RESET " + reset + ";", r,
                        List.of(h(LOCK, "locks " + r.kind().label() + " " + q(r))), true, false,
                        "reset options " + reset + " of " + r.kind().label() + " " + q(r));
            }
        }
    }

    // ------------------------------------------------------------------ catalog objects

    private final List<Change> objectChanges = new ArrayList<>();

    @Override
    public Void visit(Change.AddObject c) {
        objectChanges.add(c);
        return null; // planObjects, after planViews (matview indexes)
    }

    @Override
    public Void visit(Change.DropObject c) {
        objectChanges.add(c);
        return null;
    }

    @Override
    public Void visit(Change.ModifyObject c) {
        objectChanges.add(c);
        return null;
    }

    private void planObjects() {
        for (Change c : objectChanges) {
            if (c instanceof Change.AddObject a) {
                if (plannedObjects.add(a.ref())) {
                    ObjectPlanners.forKind(a.ref().kind()).create(a.object(), emitter);
                }
            } else if (c instanceof Change.DropObject d) {
                ObjectPlanners.forKind(d.ref().kind()).drop(d.object(), emitter);
            } else if (c instanceof Change.ModifyObject m && !plannedObjects.contains(m.ref())) {
                ObjectPlanners.forKind(m.ref().kind()).modify(m.from(), m.to(), m.changed(), emitter);
            }
        }
        revokeBuiltInDefaults();
    }

    /**
     * PostgreSQL grants EXECUTE on a new routine and USAGE on a new type to PUBLIC (the built-in
     * default ACL, see GRANT, "Table 5.2 ACL Privilege Abbreviations" / {@code acldefault}). When
     * {@code to} was read with privileges and lists no PUBLIC row for an object the plan creates,
     * the migrations revoked that default: revoke it on the new object too, or the created object has
     * a privilege {@code to} lacks.
     */
    private void revokeBuiltInDefaults() {
        if (to.objects(ObjectKind.PRIVILEGE).isEmpty()) {
            return; // privileges not read (or none at all): nothing to align
        }
        Set<ObjectRef> publicTargets = new HashSet<>();
        for (CatalogObject p : to.objects(ObjectKind.PRIVILEGE)) {
            if ("PUBLIC".equals(p.attr("grantee")) && p.target() != null) {
                publicTargets.add(p.target());
            }
        }
        List<ObjectRef> created = new ArrayList<>();
        for (Change c : changes) {
            if (c instanceof Change.AddObject a && (a.ref().kind().routine() || a.ref().kind() == ObjectKind.DOMAIN
                    || a.ref().kind() == ObjectKind.COMPOSITE_TYPE || a.ref().kind() == ObjectKind.RANGE_TYPE)) {
                created.add(a.ref());
            } else if (c instanceof Change.AddEnum a) {
                created.add(a.ref());
            }
        }
        for (ObjectRef r : created) {
            if (publicTargets.contains(r)) {
                continue;
            }
            String privilege = r.kind().routine() ? "EXECUTE" : "USAGE";
            CatalogObject builtIn = new CatalogObject(new ObjectRef(ObjectKind.PRIVILEGE, r.schema(), null,
                    r + " to PUBLIC"), Map.of("privileges", privilege, "grantee", "PUBLIC"), r);
            ObjectPlanners.forKind(ObjectKind.PRIVILEGE).drop(builtIn, emitter);
        }
    }

    // ------------------------------------------------------------------ sequences

    @Override
    public Void visit(Change.AddSequence c) {
        Sequence s = c.sequence();
        add(Phase.SEQUENCES, 0, "CREATE SEQUENCE IF NOT EXISTS " + rel(s.schema(), s.name()) + " "
                + PgDdl.sequenceOptions(s) + ";", c.ref(), List.of(), true, false, "create missing sequence " + q(c.ref()));
        if (s.ownedBy() != null) {
            add(Phase.SEQUENCE_OWNERSHIP, 0, "ALTER SEQUENCE " + rel(s.schema(), s.name()) + " OWNED BY " + s.ownedBy() + ";",
                    c.ref(), List.of(), true, false, "make sequence " + q(c.ref()) + " owned by " + s.ownedBy());
        }
        return null;
    }

    @Override
    public Void visit(Change.DropSequence c) {
        add(Phase.DROP_SEQUENCES, 0, "DROP SEQUENCE IF EXISTS " + rel(c.sequence().schema(), c.sequence().name()) + ";",
                c.ref(), List.of(h(HazardType.DELETES_DATA, "drops sequence " + q(c.ref()) + " and its current value")),
                true, true, "drop extra sequence " + q(c.ref()));
        return null;
    }

    @Override
    public Void visit(Change.ModifySequence c) {
        Sequence f = c.from();
        Sequence n = c.to();
        String name = rel(n.schema(), n.name());
        if (!PgDdl.sequenceOptions(f).equals(PgDdl.sequenceOptions(n))) {
            add(Phase.SEQUENCES, 0, "ALTER SEQUENCE " + name + " " + PgDdl.sequenceOptions(n) + ";", c.ref(), List.of(),
                    true, false, "change sequence " + q(c.ref()) + " to " + PgDdl.sequenceOptions(n));
        }
        if (!Objects.equals(f.ownedBy(), n.ownedBy())) {
            if (f.ownedBy() != null) {
                add(Phase.DISOWN_SEQUENCES, 0, "ALTER SEQUENCE IF EXISTS " + name + " OWNED BY NONE;", c.ref(), List.of(),
                        true, false, "release sequence " + q(c.ref()) + " from column " + f.ownedBy());
            }
            if (n.ownedBy() != null) {
                add(Phase.SEQUENCE_OWNERSHIP, 0, "ALTER SEQUENCE " + name + " OWNED BY " + n.ownedBy() + ";", c.ref(),
                        List.of(), true, false, "make sequence " + q(c.ref()) + " owned by " + n.ownedBy());
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ enums

    @Override
    public Void visit(Change.AddEnum c) {
        EnumType e = c.type();
        add(Phase.ENUMS, 0, guarded(PgDdl.typeMissing(e), List.of(exec(PgDdl.createEnum(e.schema(), e.name(), e.labels())))),
                c.ref(), List.of(), true, false, "create missing enum type " + q(c.ref()));
        return null;
    }

    @Override
    public Void visit(Change.DropEnum c) {
        add(Phase.DROP_ENUMS, 0, "DROP TYPE IF EXISTS " + rel(c.type().schema(), c.type().name()) + ";", c.ref(),
                List.of(h(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, "drops enum type " + q(c.ref())
                        + "; fails while functions or domains still use it")),
                true, false, "drop extra enum type " + q(c.ref()));
        return null;
    }

    @Override
    public Void visit(Change.ModifyEnum c) {
        EnumType f = c.from();
        EnumType n = c.to();
        String name = rel(n.schema(), n.name());
        if (!rebuiltEnums.containsKey(name)) {
            List<String> labels = n.labels();
            for (int i = 0; i < labels.size(); i++) {
                String label = labels.get(i);
                if (f.labels().contains(label)) {
                    continue;
                }
                String position = "";
                if (i > 0) {
                    position = " AFTER " + lit(labels.get(i - 1));
                } else {
                    for (String later : labels) {
                        if (f.labels().contains(later)) {
                            position = " BEFORE " + lit(later);
                            break;
                        }
                    }
                }
                add(Phase.ENUMS, 0, "ALTER TYPE " + name + " ADD VALUE IF NOT EXISTS " + lit(label) + position + ";",
                        c.ref(), List.of(), true, false, "add label " + lit(label) + " to enum type " + q(c.ref()));
            }
            return null;
        }
        planEnumRebuild(c);
        return null;
    }

    private void planEnumRebuild(Change.ModifyEnum c) {
        EnumType n = c.to();
        String name = rel(n.schema(), n.name());
        String oldName = "driftwatch_old_" + Integer.toHexString(name.hashCode());
        List<String> body = new ArrayList<>();
        body.add(exec("ALTER TYPE " + name + " RENAME TO " + id(oldName)));
        body.add(exec(PgDdl.createEnum(n.schema(), n.name(), n.labels())));
        List<String> touched = new ArrayList<>();
        for (Table t : from.tables()) {
            List<Column> cols = enumColumns(t, name);
            if (cols.isEmpty() || t.partitionOf() != null || droppedTables.contains(rel(t))) {
                continue;
            }
            Table target = toTables.get(rel(t));
            List<Index> idx = t.indexes().stream().filter(i -> ViewGraph.mentions(i.definition(), name)).toList();
            List<Constraint> cons = t.constraints().stream()
                    .filter(x -> ViewGraph.mentions(x.definition(), name) && x.type() != Constraint.Type.FOREIGN_KEY).toList();
            idx.forEach(i -> body.add(exec(dropIndex(t, i, false))));
            cons.forEach(x -> body.add(exec("ALTER TABLE " + rel(t) + " DROP CONSTRAINT IF EXISTS " + id(x.name()))));
            for (Column col : cols) {
                if (droppedColumns.contains(rel(t) + '\0' + col.name())) {
                    continue;
                }
                touched.add(rel(t) + "." + id(col.name()));
                if (col.defaultExpr() != null) {
                    body.add(exec(alterColumn(t, col.name()) + " DROP DEFAULT"));
                }
                boolean array = col.type().endsWith("[]");
                body.add(exec(alterColumn(t, col.name()) + " TYPE " + col.type() + " USING " + id(col.name())
                        + (array ? "::text[]::" : "::text::") + col.type()));
                Column after = target == null ? null : target.columns().stream()
                        .filter(x -> x.name().equals(col.name())).findFirst().orElse(null);
                if (after != null && after.type().equals(col.type()) && after.defaultExpr() != null) {
                    body.add(exec(alterColumn(t, col.name()) + " SET DEFAULT " + after.defaultExpr()));
                }
            }
            if (target != null) {
                for (Index i : idx) {
                    target.indexes().stream().filter(x -> x.name().equals(i.name())).findFirst()
                            .ifPresent(x -> body.add(exec(PgDdl.createIndex(x, false, target.partitioned()))));
                }
                for (Constraint x : cons) {
                    target.constraints().stream().filter(y -> y.name().equals(x.name())).findFirst()
                            .ifPresent(y -> body.add(exec(PgDdl.addConstraint(target, y, false))));
                }
            }
        }
        body.add(exec("DROP TYPE " + rel(n.schema(), oldName)));
        String cond = "pg_catalog.to_regtype(" + lit(name) + ") IS NOT NULL AND " + PgDdl.enumLabelsDiffer(n);
        add(Phase.ENUMS, 0, guarded(cond, body), c.ref(),
                List.of(h(HazardType.DELETES_DATA, "rebuilds enum type " + q(c.ref()) + " with labels " + n.labels()
                                + "; fails if a row still holds a removed label"),
                        h(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, "functions and domains using " + q(c.ref())
                                + " are not followed and block the rebuild"),
                        h(HazardType.TABLE_REWRITE, "rewrites the columns " + (touched.isEmpty() ? "(none)" : String.join(", ", touched))),
                        h(LOCK, "locks the tables using " + q(c.ref()))),
                true, true, "rebuild enum type " + q(c.ref()) + " with labels " + n.labels().stream().map(PgDdl::lit).toList());
    }
}
