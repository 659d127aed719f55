package io.driftwatch.rules;

import io.driftwatch.policy.AuditResult;
import io.driftwatch.policy.AuditRun;
import io.driftwatch.model.HistoryEntry;
import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.Column;
import io.driftwatch.model.Constraint;
import io.driftwatch.model.DefinitionText;
import io.driftwatch.model.Identifiers;
import io.driftwatch.model.Index;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.model.Sequence;
import io.driftwatch.model.Table;
import io.driftwatch.policy.Finding;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.driftwatch.rules.RowSet.Type.BOOLEAN;
import static io.driftwatch.rules.RowSet.Type.INTEGER;
import static io.driftwatch.rules.RowSet.Type.TEXT;

/**
 * The tables SQL rules query, built from an audit: {@code tables}, {@code columns}, {@code indexes},
 * {@code index_columns}, {@code constraints}, {@code constraint_columns}, {@code sequences} (one row
 * per object and {@code side}: {@code 'expected'} is the schema the applied migrations create,
 * {@code 'actual'} the live database), {@code history} (the version table against the scripts) and
 * {@code findings} (what the audit found before the SQL rules ran).
 *
 * <p>Names are raw (unquoted) text; lists in one text column ({@code key_columns}, ...) are written
 * as the server deparses them, each name quoted where PostgreSQL needs it. Lists are also given as link tables ({@code index_columns},
 * {@code constraint_columns}) because Calcite's arrays are awkward in joins. Index key lists are
 * read from {@code pg_get_indexdef} text (the model keeps no column list for indexes), see
 * {@link DefinitionText}. The column reference is {@code docs/sql-rules.md}; {@link #schema()} is its
 * source of truth. Pure: builds Java data, loads no Calcite class.
 */
public final class RuleTables {

    /** Side of a schema model: the migrations' schema. */
    public static final String EXPECTED = "expected";
    /** Side of a schema model: the live database's schema. */
    public static final String ACTUAL = "actual";

    private static final List<RowSet.Col> TABLES = List.of(
            col("side", TEXT, "'expected' (the applied migrations' schema) or 'actual' (the live database)"),
            col("schema_name", TEXT, "schema"),
            col("table_name", TEXT, "table"),
            col("kind", TEXT, "'table' or 'partitioned table'"),
            col("is_partition", BOOLEAN, "true for a partition of a partitioned table"),
            col("parent_schema", TEXT, "a partition's parent table: schema, else null"),
            col("parent_table", TEXT, "a partition's parent table: name, else null"),
            col("partition_key", TEXT, "pg_get_partkeydef of a partitioned table, e.g. RANGE (created_at), else null"),
            col("partition_bound", TEXT, "a partition's bound, e.g. FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"),
            col("has_primary_key", BOOLEAN, "the table has a PRIMARY KEY constraint"),
            col("column_count", INTEGER, "number of columns"),
            col("unlogged", BOOLEAN, "UNLOGGED table"),
            col("row_security", BOOLEAN, "ROW LEVEL SECURITY enabled"),
            col("comment", TEXT, "COMMENT ON TABLE text, else null"));

    private static final List<RowSet.Col> COLUMNS = List.of(
            col("side", TEXT, "'expected' or 'actual'"),
            col("schema_name", TEXT, "schema"),
            col("table_name", TEXT, "table"),
            col("column_name", TEXT, "column"),
            col("ordinal_position", INTEGER, "1-based attribute number"),
            col("data_type", TEXT, "format_type text, e.g. character varying(120), timestamp without time zone, integer[]"),
            col("not_null", BOOLEAN, "NOT NULL"),
            col("default_expr", TEXT, "default expression, e.g. nextval('public.t_id_seq'::regclass), else null"),
            col("identity_generation", TEXT, "'ALWAYS' or 'BY DEFAULT' for identity columns, else null"),
            col("generated_expr", TEXT, "expression of a GENERATED ALWAYS AS (...) STORED column, else null"),
            col("collation_name", TEXT, "explicit non-default collation (schema.name), else null"),
            col("in_primary_key", BOOLEAN, "the column is part of the table's primary key"),
            col("comment", TEXT, "COMMENT ON COLUMN text, else null"));

    private static final List<RowSet.Col> INDEXES = List.of(
            col("side", TEXT, "'expected' or 'actual'"),
            col("schema_name", TEXT, "schema"),
            col("table_name", TEXT, "table"),
            col("index_name", TEXT, "index"),
            col("access_method", TEXT, "btree, hash, gin, gist, brin, ..."),
            col("key_columns", TEXT, "key elements as the definition writes them, joined by ', ', e.g. lower(email), id DESC"),
            col("key_count", INTEGER, "number of key elements (INCLUDE columns not counted)"),
            col("include_columns", TEXT, "INCLUDE columns, quoted as needed, joined by ', ', else null"),
            col("definition", TEXT, "pg_get_indexdef text; for a constraint's index the constraint definition"),
            col("predicate", TEXT, "WHERE clause of a partial index, else null"),
            col("is_unique", BOOLEAN, "unique index (or the index of a PRIMARY KEY / UNIQUE constraint)"),
            col("is_primary", BOOLEAN, "the index of the PRIMARY KEY"),
            col("is_partial", BOOLEAN, "has a WHERE clause"),
            col("is_valid", BOOLEAN, "false after a failed CREATE INDEX CONCURRENTLY"),
            col("nulls_not_distinct", BOOLEAN, "NULLS NOT DISTINCT (PostgreSQL 15+)"),
            col("constraint_name", TEXT, "the PRIMARY KEY / UNIQUE / EXCLUDE constraint the index backs, else null"));

    private static final List<RowSet.Col> INDEX_COLUMNS = List.of(
            col("side", TEXT, "'expected' or 'actual'"),
            col("schema_name", TEXT, "schema"),
            col("table_name", TEXT, "table"),
            col("index_name", TEXT, "index"),
            col("key_position", INTEGER, "1-based position among the key elements; INCLUDE columns follow the keys"),
            col("column_name", TEXT, "the column, or null when the element is an expression"),
            col("key_element", TEXT, "the element as the definition writes it, e.g. lower(email), created_at DESC"),
            col("is_include", BOOLEAN, "an INCLUDE column, not a key"));

    private static final List<RowSet.Col> CONSTRAINTS = List.of(
            col("side", TEXT, "'expected' or 'actual'"),
            col("schema_name", TEXT, "schema"),
            col("table_name", TEXT, "table"),
            col("constraint_name", TEXT, "constraint"),
            col("constraint_type", TEXT, "pg_constraint.contype: p primary key, u unique, f foreign key, c check, x exclusion"),
            col("type_label", TEXT, "'primary key', 'unique', 'foreign key', 'check' or 'exclusion'"),
            col("key_columns", TEXT, "constrained columns, quoted as needed, joined by ', ' (for a check: the columns it mentions)"),
            col("column_count", INTEGER, "number of constrained columns"),
            col("ref_schema", TEXT, "foreign key: referenced table's schema, else null"),
            col("ref_table", TEXT, "foreign key: referenced table, else null"),
            col("ref_columns", TEXT, "foreign key: referenced columns, quoted as needed, joined by ', ', else null"),
            col("definition", TEXT, "pg_get_constraintdef text"),
            col("validated", BOOLEAN, "false for a NOT VALID constraint"),
            col("deferrable", BOOLEAN, "DEFERRABLE"));

    private static final List<RowSet.Col> CONSTRAINT_COLUMNS = List.of(
            col("side", TEXT, "'expected' or 'actual'"),
            col("schema_name", TEXT, "schema"),
            col("table_name", TEXT, "table"),
            col("constraint_name", TEXT, "constraint"),
            col("constraint_type", TEXT, "p, u, f, c or x"),
            col("key_position", INTEGER, "1-based position in the constraint's key"),
            col("column_name", TEXT, "the column"),
            col("ref_column_name", TEXT, "foreign key: the referenced column at the same position, else null"));

    private static final List<RowSet.Col> SEQUENCES = List.of(
            col("side", TEXT, "'expected' or 'actual'"),
            col("schema_name", TEXT, "schema"),
            col("sequence_name", TEXT, "sequence (identity sequences are not listed)"),
            col("data_type", TEXT, "smallint, integer or bigint"),
            col("owned_by_schema", TEXT, "OWNED BY column (serial): schema, else null"),
            col("owned_by_table", TEXT, "OWNED BY column: table, else null"),
            col("owned_by_column", TEXT, "OWNED BY column: column, else null"));

    private static final List<RowSet.Col> HISTORY = List.of(
            col("installed_rank", INTEGER, "rank of the version table row, null for a script not applied"),
            col("version", TEXT, "Flyway version, null for repeatables and for other tools"),
            col("revision", TEXT, "revision id: Flyway V7 or 'R views', an Alembic revision id"),
            col("description", TEXT, "description"),
            col("migration_type", TEXT, "SQL, JDBC, BASELINE, ..."),
            col("script", TEXT, "script name"),
            col("state", TEXT, "the tool's state: Flyway's success, pending, failed, missing, future, out of order, ignored, outdated, baseline, below baseline; Alembic's applied, current, pending, unknown"),
            col("success", BOOLEAN, "false for a failed row, true for another applied row, null when not applied"),
            col("installed_on", TEXT, "installed_on as ISO-8601 text, null when not applied"),
            col("installed_by", TEXT, "installed_by, null when not applied"),
            col("local_checksum", INTEGER, "Flyway checksum of the local script, null when there is none"),
            col("applied_checksum", INTEGER, "Flyway checksum in the version table, null when none"));

    private static final List<RowSet.Col> FINDINGS = List.of(
            col("rule_id", TEXT, "e.g. DW101"),
            col("rule_name", TEXT, "e.g. extra-index"),
            col("severity", TEXT, "error, warning or info"),
            col("object_kind", TEXT, "table, column, index, constraint, view, migration, ... (lower case)"),
            col("schema_name", TEXT, "schema of the object, null for database-wide objects and migrations"),
            col("table_name", TEXT, "owning table of a column, index, constraint, trigger or policy, else null"),
            col("object_name", TEXT, "the object's own name (a migration's version)"),
            col("qualified_name", TEXT, "schema.table.name quoted as PostgreSQL needs"),
            col("message", TEXT, "the finding's message"),
            col("expected", TEXT, "what the migrations say, or null"),
            col("actual", TEXT, "what the database has, or null"),
            col("waived", BOOLEAN, "a waiver accepts the finding"));

    private RuleTables() {
    }

    private static RowSet.Col col(String name, RowSet.Type type, String description) {
        return new RowSet.Col(name, type, description);
    }

    /** @return every table with its columns and no rows: the reference {@code docs/sql-rules.md} documents */
    public static List<RowSet> schema() {
        return List.of(new RowSet("tables", TABLES, List.of()), new RowSet("columns", COLUMNS, List.of()),
                new RowSet("indexes", INDEXES, List.of()), new RowSet("index_columns", INDEX_COLUMNS, List.of()),
                new RowSet("constraints", CONSTRAINTS, List.of()),
                new RowSet("constraint_columns", CONSTRAINT_COLUMNS, List.of()),
                new RowSet("sequences", SEQUENCES, List.of()), new RowSet("history", HISTORY, List.of()),
                new RowSet("findings", FINDINGS, List.of()));
    }

    /**
     * @param run    the audit (its expected and actual models; either may be null, e.g. no replay)
     * @param result the result whose findings and history the {@code findings} and {@code history}
     *               tables show
     * @return the tables, in {@link #schema()} order
     */
    public static List<RowSet> of(AuditRun run, AuditResult result) {
        Rows tables = new Rows();
        Rows columns = new Rows();
        Rows indexes = new Rows();
        Rows indexColumns = new Rows();
        Rows constraints = new Rows();
        Rows constraintColumns = new Rows();
        Rows sequences = new Rows();
        if (run != null) {
            for (String side : List.of(EXPECTED, ACTUAL)) {
                SchemaModel m = EXPECTED.equals(side) ? run.expected() : run.actual();
                if (m == null) {
                    continue;
                }
                Map<ObjectRef, String> comments = new HashMap<>();
                for (CatalogObject o : m.objects(ObjectKind.COMMENT)) {
                    if (o.target() != null && o.attr("text") != null) {
                        comments.put(o.target(), o.attr("text"));
                    }
                }
                for (Table t : m.tables()) {
                    addTable(side, t, comments, tables, columns, indexes, indexColumns, constraints, constraintColumns);
                }
                for (Sequence s : m.sequences()) {
                    List<String> owner = DefinitionText.nameParts(s.ownedBy());
                    boolean owned = owner.size() == 3;
                    sequences.add(side, s.schema(), s.name(), s.dataType(), owned ? owner.get(0) : null,
                            owned ? owner.get(1) : null, owned ? owner.get(2) : null);
                }
            }
        }
        Rows history = new Rows();
        Rows findings = new Rows();
        if (result != null) {
            boolean flyway = "flyway".equals(result.history().tool());
            for (HistoryEntry h : result.history().entries()) {
                boolean applied = h.rank() != null || "applied".equals(h.state()) || "current".equals(h.state());
                Boolean success = !applied ? null : !"failed".equals(h.state());
                String version = flyway && h.id().startsWith("V") ? h.id().substring(1) : null;
                history.add(h.rank(), version, h.id(), h.description(), h.type(), h.script(), h.state(), success,
                        h.appliedOn(), h.appliedBy(), integer(h.localChecksum()), integer(h.appliedChecksum()));
            }
            for (Finding f : result.findings()) {
                ObjectRef o = f.object();
                findings.add(f.rule().id(), f.rule().slug(), f.severity().label(), kindWord(o.kind()), o.schema(),
                        o.parent(), o.name(), o.qualifiedName(), f.message(), f.expected(), f.actual(), f.waived());
            }
        }
        return List.of(new RowSet("tables", TABLES, tables.rows), new RowSet("columns", COLUMNS, columns.rows),
                new RowSet("indexes", INDEXES, indexes.rows), new RowSet("index_columns", INDEX_COLUMNS, indexColumns.rows),
                new RowSet("constraints", CONSTRAINTS, constraints.rows),
                new RowSet("constraint_columns", CONSTRAINT_COLUMNS, constraintColumns.rows),
                new RowSet("sequences", SEQUENCES, sequences.rows), new RowSet("history", HISTORY, history.rows),
                new RowSet("findings", FINDINGS, findings.rows));
    }

    /**
     * @param kind an object kind
     * @return its word in the {@code findings} table and in rule rows: the constant's name in lower
     *         case ({@code index}, {@code materialized_view}, {@code history} for a migration)
     */
    static String kindWord(ObjectKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    private static void addTable(String side, Table t, Map<ObjectRef, String> comments, Rows tables, Rows columns,
                                 Rows indexes, Rows indexColumns, Rows constraints, Rows constraintColumns) {
        List<String> parent = DefinitionText.nameParts(t.partitionOf());
        Constraint pk = t.constraints().stream().filter(c -> c.type() == Constraint.Type.PRIMARY_KEY).findFirst()
                .orElse(null);
        tables.add(side, t.schema(), t.name(), t.partitioned() ? "partitioned table" : "table", t.partitionOf() != null,
                parent.size() == 2 ? parent.get(0) : null, parent.size() == 2 ? parent.get(1) : null,
                t.partitionKey(), t.partitionBound(), pk != null, t.columns().size(), t.unlogged(), t.rowSecurity(),
                comments.get(t.ref()));
        for (Column c : t.columns()) {
            String identity = switch (c.identity()) {
                case NONE -> null;
                case ALWAYS -> "ALWAYS";
                case BY_DEFAULT -> "BY DEFAULT";
            };
            columns.add(side, t.schema(), t.name(), c.name(), c.position(), c.type(), c.notNull(), c.defaultExpr(),
                    identity, c.generatedExpr(), c.collation(), pk != null && pk.columns().contains(c.name()),
                    comments.get(ObjectRef.child(ObjectKind.COLUMN, t.schema(), t.name(), c.name())));
        }
        for (Index i : t.indexes()) {
            DefinitionText.KeyList keys = DefinitionText.keyList(i.definition());
            boolean nnd = i.definition() != null && i.definition().contains(" NULLS NOT DISTINCT");
            addIndex(side, t, i.name(), i.method(), keys, i.definition(), i.predicate(), i.unique(), false, i.valid(),
                    nnd, null, indexes, indexColumns);
        }
        for (Constraint c : t.constraints()) {
            DefinitionText.References refs = c.type() == Constraint.Type.FOREIGN_KEY
                    ? DefinitionText.references(c.definition()) : null;
            boolean refOk = refs != null && refs.table().size() == 2;
            String def = c.definition() == null ? "" : c.definition();
            constraints.add(side, t.schema(), t.name(), c.name(), c.type().code(), c.type().label(),
                    quotedList(c.columns()), c.columns().size(), refOk ? refs.table().get(0) : null,
                    refOk ? refs.table().get(1) : null, refs == null ? null : quotedList(refs.columns()),
                    c.definition(), !def.endsWith(" NOT VALID"),
                    def.contains(" DEFERRABLE") && !def.contains("NOT DEFERRABLE"));
            for (int k = 0; k < c.columns().size(); k++) {
                String ref = refs != null && k < refs.columns().size() ? refs.columns().get(k) : null;
                constraintColumns.add(side, t.schema(), t.name(), c.name(), c.type().code(), k + 1, c.columns().get(k), ref);
            }
            if (c.type() == Constraint.Type.PRIMARY_KEY || c.type() == Constraint.Type.UNIQUE
                    || c.type() == Constraint.Type.EXCLUSION) {
                // the index PostgreSQL builds for the constraint carries the constraint's name
                DefinitionText.KeyList keys = DefinitionText.keyList(def);
                if (keys.keys().isEmpty()) {
                    keys = new DefinitionText.KeyList(c.columns().stream().map(Identifiers::quoteIfNeeded).toList(),
                            List.of());
                }
                String method = "btree";
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("^EXCLUDE USING (\\w+)").matcher(def);
                if (m.find()) {
                    method = m.group(1);
                }
                int where = def.indexOf(" WHERE (");
                addIndex(side, t, c.name(), method, keys, def, where >= 0 ? def.substring(where + 7) : null,
                        c.type() != Constraint.Type.EXCLUSION, c.type() == Constraint.Type.PRIMARY_KEY, true,
                        def.contains("NULLS NOT DISTINCT"), c.name(), indexes, indexColumns);
            }
        }
    }

    private static void addIndex(String side, Table t, String name, String method, DefinitionText.KeyList keys,
                                 String definition,
                                 String predicate, boolean unique, boolean primary, boolean valid, boolean nullsNotDistinct,
                                 String constraint, Rows indexes, Rows indexColumns) {
        indexes.add(side, t.schema(), t.name(), name, method, String.join(", ", keys.keys()), keys.keys().size(),
                keys.include().isEmpty() ? null : quotedList(keys.include()), definition, predicate, unique,
                primary, predicate != null, valid, nullsNotDistinct, constraint);
        int p = 1;
        for (String k : keys.keys()) {
            indexColumns.add(side, t.schema(), t.name(), name, p++, DefinitionText.columnOf(k), k, false);
        }
        for (String inc : keys.include()) {
            indexColumns.add(side, t.schema(), t.name(), name, p++, inc, inc == null ? null : Identifiers.quoteIfNeeded(inc), true);
        }
    }

    /** @return names quoted where PostgreSQL needs it, joined by {@code ", "} (as the server deparses lists) */
    private static String quotedList(List<String> names) {
        return String.join(", ", names.stream().map(n -> n == null || n.isEmpty() ? "?" : Identifiers.quoteIfNeeded(n)).toList());
    }

    /** Rows under construction. */
    private static final class Rows {
        final List<Object[]> rows = new ArrayList<>();

        void add(Object... values) {
            rows.add(values);
        }
    }

    private static Integer integer(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
