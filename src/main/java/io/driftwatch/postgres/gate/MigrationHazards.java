package io.driftwatch.postgres.gate;

import io.driftwatch.diff.Change;
import io.driftwatch.diff.ChangeKind;
import io.driftwatch.model.Column;
import io.driftwatch.model.Constraint;
import io.driftwatch.model.Identifiers;
import io.driftwatch.model.Index;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.Table;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Rule;
import io.driftwatch.policy.Severity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The hazards of one pending migration at production's real sizes (rules {@code DW310}-{@code DW314}).
 *
 * <p>Input: the changes the migration made when rehearsed in a structure-only clone of the live
 * schema ({@code new SchemaDiffer().diff(before, after)}), the script's name and text, and the live
 * sizes of the tables it touches ({@link #tablesTouched} tells which; read them with
 * {@link RelationSizes#read}). The catalog says what changed; the script text says how, where the
 * catalog cannot: {@code CREATE INDEX CONCURRENTLY}, {@code ADD ... USING INDEX}, {@code DROP INDEX
 * CONCURRENTLY}, {@code SET lock_timeout} (see {@code HazardScript}).
 *
 * <p>Lock levels and their consequences are PostgreSQL's documented ones (docs: "Explicit Locking",
 * "Table-Level Locks"; ALTER TABLE: "An ACCESS EXCLUSIVE lock is acquired unless explicitly noted";
 * CREATE INDEX, "Building Indexes Concurrently": "Normally PostgreSQL locks the table to be indexed
 * against writes and performs the entire index build with a single scan of the table"; DROP INDEX:
 * "A normal DROP INDEX acquires an ACCESS EXCLUSIVE lock on the table"):
 * <ul>
 *   <li>{@link Rule#DW312} blocking-index-build: {@code CREATE INDEX} without {@code CONCURRENTLY}
 *       holds a SHARE lock (writes block) for the whole build; {@code ADD PRIMARY KEY / UNIQUE /
 *       EXCLUDE} builds its index under ACCESS EXCLUSIVE (reads block too) unless added
 *       {@code USING INDEX} of an index built concurrently; a changed or revalidated index is rebuilt
 *       likewise unless {@code CONCURRENTLY}.</li>
 *   <li>{@link Rule#DW310} table-rewrite, under ACCESS EXCLUSIVE, needing up to twice the disk
 *       space (ALTER TABLE, Notes): a column type change that is not binary-coercible
 *       ({@code ColumnRewrites}); {@code ADD COLUMN} with a volatile default, an identity or a stored
 *       generated expression ("Adding a column with a volatile DEFAULT ... will require the entire
 *       table and its indexes to be rewritten"; constant and stable defaults are free since
 *       PostgreSQL 11); {@code SET LOGGED / UNLOGGED}; a change of partitioning (the table is
 *       recreated).</li>
 *   <li>{@link Rule#DW314} validates-under-lock: {@code SET NOT NULL} scans the table under ACCESS
 *       EXCLUSIVE unless a valid {@code CHECK (col IS NOT NULL)} proves it (PostgreSQL 12+);
 *       {@code ADD CHECK} without {@code NOT VALID} scans under ACCESS EXCLUSIVE; {@code ADD FOREIGN
 *       KEY} without {@code NOT VALID} scans under SHARE ROW EXCLUSIVE on both tables (writes to both
 *       block); {@code ATTACH PARTITION} scans the partition under ACCESS EXCLUSIVE to check its
 *       bound. A constraint added {@code NOT VALID} and validated in the same script is still
 *       reported: Flyway runs the script in one transaction, so {@code VALIDATE} runs while the
 *       {@code ADD}'s lock is held.</li>
 *   <li>{@link Rule#DW313} drops-data: {@code DROP TABLE} / {@code DROP COLUMN} of a table holding
 *       rows.</li>
 *   <li>{@link Rule#DW311} access-exclusive-lock: the remaining brief ACCESS EXCLUSIVE operations on a
 *       large table, one finding per table listing them: add or drop a column (without rewrite), a
 *       type change without rewrite, a collation change (its indexes are rebuilt), set or drop a
 *       default, drop NOT NULL, identity changes, drop a generation expression, drop a constraint,
 *       add a CHECK {@code NOT VALID}, add a key {@code USING INDEX}, {@code DROP INDEX} without
 *       {@code CONCURRENTLY}, row level security, inheritance, {@code DETACH PARTITION}. Brief, but
 *       the lock request waits behind every running query on the table and every later query waits
 *       behind it; a script that sets a non-zero {@code lock_timeout} bounds that wait and gets
 *       {@link Severity#INFO}. Not reported: storage parameters ({@code SET (fillfactor, autovacuum_*
 *       ...)} takes SHARE UPDATE EXCLUSIVE), {@code CREATE INDEX CONCURRENTLY}, foreign keys added
 *       {@code NOT VALID} (SHARE ROW EXCLUSIVE, not ACCESS EXCLUSIVE).</li>
 * </ul>
 *
 * <p>Severity: the rule's default ({@link Severity#WARNING}) when the table is
 * {@linkplain Thresholds#large large}; {@link Severity#INFO} when it holds rows but is small; no
 * finding when it is {@linkplain RelationSize#empty() empty}, when the same migration creates it
 * ({@code AddTable}: new tables are empty), or when {@code sizes} lacks it (production does not have
 * it yet: an earlier pending migration creates it). Exceptions: {@code DW313} is a WARNING whenever
 * the table may hold rows; {@code DW311} is only reported for large tables. A table whose row count
 * is unknown is treated as holding rows and judged large by its bytes alone.
 *
 * <p>Each finding: {@code object} the index, column, constraint or table concerned; {@code expected}
 * null; {@code actual} the table's size ({@link RelationSize#describe()}); {@code message} one line
 * naming the script, the object, the operation, the size and what to do instead.
 */
public final class MigrationHazards {

    /**
     * When a table counts as large.
     *
     * @param largeRows  rows from which a table is large, at least 1
     * @param largeBytes bytes ({@code pg_total_relation_size}) from which a table is large, at least 1
     */
    public record Thresholds(long largeRows, long largeBytes) {

        /**
         * @throws IllegalArgumentException when a threshold is below 1
         */
        public Thresholds {
            if (largeRows < 1 || largeBytes < 1) {
                throw new IllegalArgumentException("thresholds must be at least 1, got largeRows=" + largeRows
                        + ", largeBytes=" + largeBytes);
            }
        }

        /**
         * 100 000 rows or 100 MiB. Why: rewrites, validation scans and index builds go through a
         * table at some tens to a few hundred MB per second on common hardware, so a table of that
         * size keeps its lock for a second or more (a big index build for much longer), and every
         * query on the table waits behind the lock for that long; below it, the lock is over in well
         * under a second.
         *
         * @return the default thresholds
         */
        public static Thresholds defaults() {
            return new Thresholds(100_000, 100L * 1024 * 1024);
        }

        /**
         * @param size a live table's size
         * @return true when its rows (if known) or bytes reach a threshold
         */
        public boolean large(RelationSize size) {
            return size.rowsKnown() && size.rows() >= largeRows || size.bytes() >= largeBytes;
        }
    }

    /** Functions whose call in a default makes {@code ADD COLUMN} fill every row (VOLATILE in pg_proc). */
    private static final Pattern VOLATILE_DEFAULT = Pattern.compile(
            "\\b(?:random|random_normal|clock_timestamp|timeofday|gen_random_uuid|gen_random_bytes|uuidv[47]"
                    + "|uuid_generate_v1|uuid_generate_v1mc|uuid_generate_v4|nextval|txid_current"
                    + "|pg_current_xact_id)\\s*\\(");
    /**
     * A call of a function outside {@code pg_catalog}: the catalog reader pins {@code search_path} to
     * {@code pg_catalog}, so such calls are schema-qualified; their volatility is not known here.
     */
    private static final Pattern QUALIFIED_CALL = Pattern.compile(
            "(?:\"(?:[^\"]|\"\")+\"|[\\p{L}_][\\p{L}\\p{N}_$]*)\\s*\\.\\s*"
                    + "(?:\"(?:[^\"]|\"\")+\"|[\\p{L}_][\\p{L}\\p{N}_$]*)\\s*\\(");

    private MigrationHazards() {
    }

    /**
     * The live tables whose sizes {@link #of} needs: every table a change alters, drops or adds a
     * column, constraint or index to, except tables the same migration creates.
     *
     * @param changes the migration's changes
     * @return table refs ({@link ObjectKind#TABLE}), in order of first mention
     */
    public static Set<ObjectRef> tablesTouched(List<Change> changes) {
        Set<ObjectRef> created = created(changes);
        Set<ObjectRef> out = new LinkedHashSet<>();
        for (Change c : changes) {
            ObjectRef t = tableOf(c);
            if (t != null && !created.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * The hazards of one pending migration at production's sizes (rules in the class comment).
     *
     * @param script     the script's name, e.g. {@code V43__index_orders.sql}
     * @param sql        the script's text (null when not available, e.g. a Java migration: then no
     *                   index counts as built concurrently)
     * @param changes    {@code new SchemaDiffer().diff(before, after)} of that one migration
     * @param sizes      live sizes by table ref, from {@link RelationSizes#read}; a table missing here
     *                   is one production does not have
     * @param thresholds when a table is large
     * @return findings in the order of the changes, then one {@code DW311} per table; empty when the
     *         migration is harmless at these sizes
     */
    public static List<Finding> of(String script, String sql, List<Change> changes,
                                   Map<ObjectRef, RelationSize> sizes, Thresholds thresholds) {
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(changes, "changes");
        Objects.requireNonNull(sizes, "sizes");
        Objects.requireNonNull(thresholds, "thresholds");
        Scan scan = new Scan(script, new HazardScript(sql), changes, sizes, thresholds);
        for (Change c : changes) {
            c.accept(scan);
        }
        return scan.finish();
    }

    private static Set<ObjectRef> created(List<Change> changes) {
        Set<ObjectRef> out = new HashSet<>();
        for (Change c : changes) {
            if (c instanceof Change.AddTable a) {
                out.add(a.table().ref());
            }
        }
        return out;
    }

    private static ObjectRef tableOf(Change c) {
        if (c instanceof Change.DropTable || c instanceof Change.ModifyTable) {
            return c.ref();
        }
        if (c instanceof Change.AddColumn || c instanceof Change.DropColumn || c instanceof Change.ModifyColumn
                || c instanceof Change.AddConstraint || c instanceof Change.DropConstraint
                || c instanceof Change.ModifyConstraint || c instanceof Change.AddIndex
                || c instanceof Change.DropIndex || c instanceof Change.ModifyIndex) {
            ObjectRef r = c.ref();
            return ObjectRef.of(ObjectKind.TABLE, r.schema(), r.parent());
        }
        return null;
    }

    /** Walks the changes once, collecting findings and, per table, the brief ACCESS EXCLUSIVE operations. */
    private static final class Scan implements Change.Visitor<Void> {

        private final String script;
        private final HazardScript sql;
        private final Map<ObjectRef, RelationSize> sizes;
        private final Thresholds thresholds;
        private final Set<ObjectRef> created;
        /**
         * tables ({@code schema.name} as {@link Identifiers#qualified}) gaining indexes / constraints,
         * changing columns, dropped: the same change on one of their partitions is not reported again
         */
        private final Set<String> indexedParents = new HashSet<>();
        private final Set<String> constrainedParents = new HashSet<>();
        private final Set<String> columnParents = new HashSet<>();
        private final Set<String> droppedParents = new HashSet<>();
        /** CHECK constraints the migration drops, by table: they held before it ran */
        private final Map<ObjectRef, List<Constraint>> droppedChecks = new HashMap<>();
        private final List<Finding> findings = new ArrayList<>();
        private final Map<ObjectRef, List<String>> locks = new LinkedHashMap<>();

        Scan(String script, HazardScript sql, List<Change> changes, Map<ObjectRef, RelationSize> sizes,
             Thresholds thresholds) {
            this.script = script;
            this.sql = sql;
            this.sizes = sizes;
            this.thresholds = thresholds;
            this.created = created(changes);
            for (Change c : changes) {
                if (c instanceof Change.AddIndex a) {
                    indexedParents.add(Identifiers.qualified(a.table().schema(), a.table().name()));
                } else if (c instanceof Change.AddConstraint a) {
                    constrainedParents.add(Identifiers.qualified(a.table().schema(), a.table().name()));
                } else if (c instanceof Change.AddColumn || c instanceof Change.DropColumn
                        || c instanceof Change.ModifyColumn) {
                    ObjectRef r = c.ref();
                    columnParents.add(Identifiers.qualified(r.schema(), r.parent()));
                } else if (c instanceof Change.DropTable d) {
                    droppedParents.add(Identifiers.qualified(d.table().schema(), d.table().name()));
                } else if (c instanceof Change.DropConstraint d && d.constraint().type() == Constraint.Type.CHECK) {
                    droppedChecks.computeIfAbsent(d.table().ref(), k -> new ArrayList<>()).add(d.constraint());
                }
            }
        }

        List<Finding> finish() {
            for (Map.Entry<ObjectRef, List<String>> e : locks.entrySet()) {
                RelationSize s = sizes.get(e.getKey());
                boolean bounded = sql.setsLockTimeout();
                String tail = bounded
                        ? "the script sets lock_timeout, so a lock it cannot get fails the deploy instead of stalling the table"
                        : "while it waits for a lock every later query on the table queues behind it; start the script"
                        + " with SET lock_timeout = '5s' and retry the deploy on timeout";
                findings.add(new Finding(Rule.DW311, bounded ? Severity.INFO : Rule.DW311.defaultSeverity(), e.getKey(),
                        null, s.describe(), script + " takes ACCESS EXCLUSIVE locks on " + q(e.getKey()) + " ("
                        + s.describe() + ") to " + String.join(", ", e.getValue()) + ": " + tail));
            }
            return List.copyOf(findings);
        }

        // ------------------------------------------------------------------ helpers

        /** @return the live size of a table that existed and holds (or may hold) rows, else null */
        private RelationSize populated(Table t) {
            if (created.contains(t.ref())) {
                return null;
            }
            RelationSize s = sizes.get(t.ref());
            return s == null || s.empty() ? null : s;
        }

        private Severity severity(Rule rule, RelationSize s) {
            return thresholds.large(s) ? rule.defaultSeverity() : Severity.INFO;
        }

        private void report(Rule rule, Table t, ObjectRef object, String message) {
            RelationSize s = populated(t);
            if (s != null) {
                findings.add(new Finding(rule, severity(rule, s), object, null, s.describe(), message));
            }
        }

        /** Text placed after the table's name: {@code " (1,204,331 rows, 84 MB)"}. */
        private String size(Table t) {
            RelationSize s = sizes.get(t.ref());
            return s == null ? "" : " (" + s.describe() + ")";
        }

        private void lock(Table t, String operation) {
            RelationSize s = populated(t);
            if (s != null && thresholds.large(s)) {
                locks.computeIfAbsent(t.ref(), k -> new ArrayList<>()).add(operation);
            }
        }

        private void rewrite(Table t, ObjectRef object, String operation, String advice) {
            report(Rule.DW310, t, object, script + " rewrites " + q(t.ref()) + size(t) + " to " + operation
                    + ": reads and writes block (ACCESS EXCLUSIVE) until the table and its indexes are rewritten,"
                    + " which needs up to twice its disk space; " + advice);
        }

        private static String q(ObjectRef r) {
            return r.qualifiedName();
        }

        private static String id(String name) {
            return Identifiers.quoteIfNeeded(name);
        }

        private boolean partitionCoveredBy(Table t, Set<String> parents) {
            return t.partitionOf() != null && parents.contains(t.partitionOf());
        }

        // ------------------------------------------------------------------ tables

        @Override
        public Void visit(Change.AddTable c) {
            return null; // new and empty
        }

        @Override
        public Void visit(Change.DropTable c) {
            Table t = c.table();
            if (partitionCoveredBy(t, droppedParents)) {
                return null; // dropped with its parent, whose finding covers it
            }
            RelationSize s = populated(t);
            if (s != null && (s.rows() != 0)) {
                findings.add(new Finding(Rule.DW313, Rule.DW313.defaultSeverity(), t.ref(), null, s.describe(),
                        script + " drops table " + q(t.ref()) + " (" + s.describe() + "): its rows are lost;"
                                + " back them up first, or drop it in a later release once nothing reads it"));
            }
            return null;
        }

        @Override
        public Void visit(Change.ModifyTable c) {
            Table f = c.from();
            Table t = c.to();
            if (f.unlogged() != t.unlogged()) {
                rewrite(t, t.ref(), "make it " + (t.unlogged() ? "UNLOGGED" : "LOGGED"),
                        t.unlogged() ? "run it off-peak, and know its rows are lost on a crash afterwards"
                                : "run it off-peak (SET LOGGED also writes the whole table to the WAL)");
            }
            if (f.partitioned() != t.partitioned() || !Objects.equals(f.partitionKey(), t.partitionKey())) {
                rewrite(t, t.ref(), "change its partitioning to " + (t.partitioned() ? t.partitionKey() : "none"),
                        "move the rows in batches into a new table and switch over instead");
            }
            if (!Objects.equals(f.partitionOf(), t.partitionOf())) {
                if (f.partitionOf() != null) {
                    lock(t, "detach it from " + f.partitionOf());
                }
                if (t.partitionOf() != null) {
                    report(Rule.DW314, t, t.ref(), script + " attaches " + q(t.ref()) + size(t) + " as a partition of "
                            + t.partitionOf() + ": it is scanned under an ACCESS EXCLUSIVE lock to check the"
                            + " partition bound; first add a CHECK constraint matching the bound (NOT VALID, then"
                            + " VALIDATE CONSTRAINT), which lets ATTACH PARTITION skip the scan");
                }
            }
            if (f.rowSecurity() != t.rowSecurity() || f.forceRowSecurity() != t.forceRowSecurity()) {
                lock(t, "change its row level security");
            }
            if (!f.inherits().equals(t.inherits()) && t.partitionOf() == null) {
                lock(t, "change its inheritance parents");
            }
            return null;
        }

        // ------------------------------------------------------------------ columns

        @Override
        public Void visit(Change.AddColumn c) {
            Table t = c.table();
            if (partitionCoveredBy(t, columnParents)) {
                return null; // a partition follows its parent, whose finding covers it
            }
            Column col = c.column();
            ObjectRef r = c.ref();
            if (col.generatedExpr() != null) {
                rewrite(t, r, "compute new stored generated column " + q(r) + " for every row",
                        "run it off-peak, or add a plain column, fill it in batches and keep it up to date with a trigger");
            } else if (col.identity() != Column.Identity.NONE) {
                rewrite(t, r, "fill new identity column " + q(r) + " for every row",
                        "add a plain column, fill it in batches, then ALTER COLUMN ... ADD GENERATED ... AS IDENTITY");
            } else if (volatileDefault(col.defaultExpr())) {
                rewrite(t, r, "fill new column " + q(r) + " with DEFAULT " + col.defaultExpr() + " for every row",
                        "add the column without a default (or with a constant one), fill it in batches, then SET DEFAULT");
            } else {
                lock(t, "add column " + id(col.name()));
            }
            return null;
        }

        @Override
        public Void visit(Change.DropColumn c) {
            Table t = c.table();
            if (partitionCoveredBy(t, columnParents)) {
                return null; // a partition follows its parent, whose finding covers it
            }
            RelationSize s = populated(t);
            if (s != null && s.rows() != 0) {
                findings.add(new Finding(Rule.DW313, Rule.DW313.defaultSeverity(), c.ref(), null, s.describe(),
                        script + " drops column " + q(c.ref()) + " of " + q(t.ref()) + " (" + s.describe()
                                + "): its values are lost; back them up first, or drop it in a later release once"
                                + " nothing reads it"));
            }
            return null;
        }

        @Override
        public Void visit(Change.ModifyColumn c) {
            Table t = c.table();
            if (partitionCoveredBy(t, columnParents)) {
                return null; // a partition follows its parent, whose finding covers it
            }
            Column f = c.from();
            Column n = c.to();
            ObjectRef r = c.ref();
            Set<ChangeKind> k = c.changes();
            if (k.contains(ChangeKind.GENERATED) && n.generatedExpr() != null) {
                rewrite(t, r, "compute generated column " + q(r) + " as " + n.generatedExpr() + " for every row",
                        "run it off-peak");
            } else if (k.contains(ChangeKind.GENERATED)) {
                lock(t, "drop the generation expression of " + id(n.name()));
            }
            if (k.contains(ChangeKind.TYPE)) {
                ColumnRewrites.Verdict v = ColumnRewrites.typeChange(f.type(), n.type());
                String change = "change column " + q(r) + " from " + f.type() + " to " + n.type();
                if (v == ColumnRewrites.Verdict.REWRITE) {
                    rewrite(t, r, change, "add a new column, fill it in batches and switch over instead");
                } else if (v == ColumnRewrites.Verdict.UNLESS_UTC) {
                    rewrite(t, r, change + " (no rewrite only when the session TimeZone is UTC)",
                            "SET TimeZone = 'UTC' at the top of the script, or add a new column and fill it in batches");
                } else {
                    lock(t, "change the type of " + id(n.name()) + " to " + n.type()
                            + (k.contains(ChangeKind.COLLATION) ? " (its indexes are rebuilt)" : ""));
                }
            } else if (k.contains(ChangeKind.COLLATION)) {
                lock(t, "change the collation of " + id(n.name()) + " (its indexes are rebuilt)");
            }
            if (k.contains(ChangeKind.NULLABILITY)) {
                if (!n.notNull()) {
                    lock(t, "drop NOT NULL on " + id(n.name()));
                } else if (provenNotNull(t, n.name())) {
                    lock(t, "set NOT NULL on " + id(n.name()) + " (a valid CHECK proves it: no scan)");
                } else {
                    report(Rule.DW314, t, r, script + " sets NOT NULL on " + q(r) + ": it scans " + q(t.ref())
                            + size(t) + " under an ACCESS EXCLUSIVE lock to check for NULLs; add CHECK ("
                            + Identifiers.quoteIfNeeded(n.name()) + " IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in"
                            + " a later migration, then SET NOT NULL (PostgreSQL 12+ skips the scan)");
                }
            }
            if (k.contains(ChangeKind.DEFAULT)) {
                lock(t, (n.defaultExpr() == null ? "drop the default of " : "set the default of ") + id(n.name()));
            }
            if (k.contains(ChangeKind.IDENTITY) || k.contains(ChangeKind.IDENTITY_OPTIONS)) {
                lock(t, "change the identity of " + id(n.name()));
            }
            return null;
        }

        /**
         * PostgreSQL 12+ skips the {@code SET NOT NULL} scan when a valid CHECK constraint proves the
         * column has no NULLs (docs, ALTER TABLE, SET/DROP NOT NULL: "if a valid CHECK constraint is
         * found which proves no NULL can exist, then the table scan is skipped"): one on the table
         * after the migration, or one that held before it and that the migration drops. Only the
         * plain form {@code CHECK ((col IS NOT NULL))} is recognised here.
         */
        private boolean provenNotNull(Table t, String column) {
            String id = Pattern.quote(Identifiers.quoteIfNeeded(column));
            Pattern proof = Pattern.compile("CHECK \\(\\(?" + id + " IS NOT NULL\\)?\\)");
            List<Constraint> checks = new ArrayList<>(t.constraints());
            checks.addAll(droppedChecks.getOrDefault(t.ref(), List.of()));
            return checks.stream().anyMatch(con -> con.type() == Constraint.Type.CHECK
                    && proof.matcher(con.definition()).matches());
        }

        private static boolean volatileDefault(String expr) {
            return expr != null && (VOLATILE_DEFAULT.matcher(expr).find() || QUALIFIED_CALL.matcher(expr).find());
        }

        // ------------------------------------------------------------------ constraints

        @Override
        public Void visit(Change.AddConstraint c) {
            addConstraint(c.table(), c.constraint(), c.ref());
            return null;
        }

        @Override
        public Void visit(Change.ModifyConstraint c) {
            // a changed definition is dropped and added again
            addConstraint(c.table(), c.to(), c.ref());
            return null;
        }

        private void addConstraint(Table t, Constraint con, ObjectRef r) {
            if (partitionCoveredBy(t, constrainedParents)) {
                return; // the partitioned parent's finding, with the summed size, covers it
            }
            String label = con.type().label().toUpperCase(Locale.ROOT);
            boolean notValid = con.definition().endsWith(" NOT VALID");
            switch (con.type()) {
                case PRIMARY_KEY, UNIQUE -> {
                    String index = sql.usingIndex(con.name());
                    if (index == null) {
                        report(Rule.DW312, t, r, script + " builds the index of " + label + " constraint " + q(r)
                                + " on " + q(t.ref()) + size(t) + " under an ACCESS EXCLUSIVE lock: reads and writes"
                                + " block until the build ends; CREATE UNIQUE INDEX CONCURRENTLY in a migration of its"
                                + " own (executeInTransaction=false), then ADD CONSTRAINT ... " + label + " USING INDEX");
                    } else if (sql.buildsIndex(index) && !sql.buildsConcurrently(index, t.name())) {
                        report(Rule.DW312, t, r, script + " builds index " + Identifiers.quoteIfNeeded(index)
                                + " for " + label + " constraint " + q(r) + " without CONCURRENTLY on " + q(t.ref())
                                + size(t) + ": writes to the table block until the build ends; use CREATE UNIQUE INDEX"
                                + " CONCURRENTLY in a migration of its own (executeInTransaction=false)");
                    } else {
                        lock(t, "add " + label + " constraint " + id(con.name()) + " USING INDEX " + id(index));
                    }
                }
                case EXCLUSION -> report(Rule.DW312, t, r, script + " builds the index of EXCLUSION constraint "
                        + q(r) + " on " + q(t.ref()) + size(t) + " under an ACCESS EXCLUSIVE lock: reads and writes"
                        + " block until the build ends; exclusion constraints have no concurrent form: deploy it off-peak");
                case CHECK -> {
                    if (notValid) {
                        lock(t, "add CHECK constraint " + id(con.name()) + " NOT VALID");
                    } else {
                        report(Rule.DW314, t, r, script + " adds CHECK constraint " + q(r) + " without NOT VALID:"
                                + " it scans " + q(t.ref()) + size(t) + " under an ACCESS EXCLUSIVE lock to validate it"
                                + sameTransaction(con) + "; add it NOT VALID, then VALIDATE CONSTRAINT in a later"
                                + " migration (SHARE UPDATE EXCLUSIVE lock only)");
                    }
                }
                case FOREIGN_KEY -> {
                    if (!notValid) {
                        report(Rule.DW314, t, r, script + " adds FOREIGN KEY " + q(r) + " without NOT VALID: it scans "
                                + q(t.ref()) + size(t) + " to validate it while holding SHARE ROW EXCLUSIVE locks on "
                                + q(t.ref()) + " and " + con.referencedTable() + " (writes to both block)"
                                + sameTransaction(con) + "; add it NOT VALID, then VALIDATE CONSTRAINT in a later migration");
                    }
                }
                default -> throw new IllegalStateException("unknown constraint type " + con.type());
            }
        }

        private String sameTransaction(Constraint con) {
            return sql.validates(con.name()) ? " (VALIDATE CONSTRAINT in the same script runs while the ADD's lock"
                    + " is still held)" : "";
        }

        @Override
        public Void visit(Change.DropConstraint c) {
            lock(c.table(), "drop constraint " + id(c.constraint().name()));
            return null;
        }

        // ------------------------------------------------------------------ indexes

        @Override
        public Void visit(Change.AddIndex c) {
            Table t = c.table();
            Index i = c.index();
            if (partitionCoveredBy(t, indexedParents) || sql.buildsConcurrently(i.name(), t.name())) {
                return null;
            }
            indexBuild(t, c.ref(), "builds");
            return null;
        }

        @Override
        public Void visit(Change.ModifyIndex c) {
            Table t = c.table();
            Index i = c.to();
            if (!i.valid() || partitionCoveredBy(t, indexedParents) || sql.buildsConcurrently(i.name(), t.name())
                    || sql.reindexesConcurrently(i.name())) {
                return null;
            }
            indexBuild(t, c.ref(), "rebuilds");
            return null;
        }

        private void indexBuild(Table t, ObjectRef r, String verb) {
            String advice = t.partitioned()
                    ? "CREATE INDEX ... ON ONLY " + q(t.ref()) + ", then CREATE INDEX CONCURRENTLY on each partition and"
                    + " ALTER INDEX ... ATTACH PARTITION, in migrations of their own (executeInTransaction=false)"
                    : "use CREATE INDEX CONCURRENTLY in a migration of its own (executeInTransaction=false)";
            report(Rule.DW312, t, r, script + " " + verb + " index " + q(r) + " without CONCURRENTLY on " + q(t.ref())
                    + size(t) + ": writes to the table block until the build ends; " + advice);
        }

        @Override
        public Void visit(Change.DropIndex c) {
            String name = c.index().name();
            if (!sql.dropsConcurrently(name) && !sql.becomesConstraint(name)) {
                lock(c.table(), "drop index " + id(name));
            }
            return null;
        }

        // ------------------------------------------------------------------ not about live tables

        @Override
        public Void visit(Change.AddSchema c) {
            return null;
        }

        @Override
        public Void visit(Change.DropSchema c) {
            return null;
        }

        @Override
        public Void visit(Change.AddView c) {
            return null;
        }

        @Override
        public Void visit(Change.DropView c) {
            return null;
        }

        @Override
        public Void visit(Change.ModifyView c) {
            return null;
        }

        @Override
        public Void visit(Change.AddSequence c) {
            return null;
        }

        @Override
        public Void visit(Change.DropSequence c) {
            return null;
        }

        @Override
        public Void visit(Change.ModifySequence c) {
            return null;
        }

        @Override
        public Void visit(Change.AddEnum c) {
            return null;
        }

        @Override
        public Void visit(Change.DropEnum c) {
            return null;
        }

        @Override
        public Void visit(Change.ModifyEnum c) {
            return null;
        }

        @Override
        public Void visit(Change.AddObject c) {
            return null;
        }

        @Override
        public Void visit(Change.DropObject c) {
            return null;
        }

        @Override
        public Void visit(Change.ModifyObject c) {
            return null;
        }
    }
}
