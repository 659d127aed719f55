package io.driftwatch.postgres.ddl;

import io.driftwatch.model.Column;
import io.driftwatch.model.Constraint;
import io.driftwatch.model.EnumType;
import io.driftwatch.model.Identifiers;
import io.driftwatch.model.Index;
import io.driftwatch.model.Sequence;
import io.driftwatch.model.Table;
import io.driftwatch.model.View;

import java.util.List;
import java.util.stream.Collectors;

/**
 * PostgreSQL DDL text for the {@link Planner}: pure string building, no state.
 *
 * <p>Quoting rules: every identifier goes through {@link Identifiers#quoteIfNeeded} or
 * {@link Identifiers#qualified}, every literal through {@link Identifiers#literal}. Text that the
 * server deparsed while the reader pinned {@code search_path = pg_catalog} ({@code format_type},
 * {@code pg_get_expr}, {@code pg_get_constraintdef}, {@code pg_get_indexdef}, {@code pg_get_viewdef},
 * {@code pg_get_partkeydef}) is valid SQL with every name already quoted and schema-qualified, and is
 * emitted as it is.
 *
 * <p>Guarded statements are {@code DO} blocks (see {@link #guarded}): they switch
 * {@code search_path} to {@code pg_catalog} for the transaction while they run, so catalog text
 * ({@code format_type}, {@code pg_get_constraintdef}, ...) compares equal to the model's text, then
 * put the caller's {@code search_path} back. The dynamic SQL is a string literal; the dollar-quote
 * tag of the block is chosen so that it does not occur in the body.
 */
final class PgDdl {

    private PgDdl() {
    }

    /** @return {@code schema.name}, each part quoted as needed */
    static String rel(String schema, String name) {
        return Identifiers.qualified(schema, name);
    }

    /** @return the object's {@code schema.name}, each part quoted as needed (for a schema-level object) */
    static String rel(io.driftwatch.model.ObjectRef r) {
        return rel(r.schema(), r.name());
    }

    /** @return the table's qualified name */
    static String rel(Table t) {
        return rel(t.schema(), t.name());
    }

    /** @return an identifier quoted as needed */
    static String id(String name) {
        return Identifiers.quoteIfNeeded(name);
    }

    /** @return a string literal */
    static String lit(String value) {
        return Identifiers.literal(value);
    }

    /** @return SQL expression giving the oid of relation {@code schema.name}, or null when absent */
    static String regclass(String schema, String name) {
        return "pg_catalog.to_regclass(" + lit(rel(schema, name)) + ")";
    }

    /** @return SQL expression giving the oid of the table, or null when absent */
    static String regclass(Table t) {
        return regclass(t.schema(), t.name());
    }

    /** @return the PL/pgSQL statement {@code EXECUTE '<sql>';} */
    static String exec(String sql) {
        return "EXECUTE " + lit(sql) + ";";
    }

    /**
     * A {@code DO} block that runs {@code body} (PL/pgSQL statements) when {@code condition} holds.
     *
     * <p>Shape: {@code DO $driftwatch$ DECLARE ... BEGIN <pin search_path> IF <condition> THEN
     * <body> END IF; <restore search_path> END $driftwatch$;}. The tag is {@code $driftwatch$} unless
     * that text occurs in the block, then {@code $driftwatch_1$}, {@code $driftwatch_2$}, ...
     *
     * @param condition SQL boolean expression over {@code pg_catalog}, evaluated with
     *                  {@code search_path = pg_catalog}
     * @param body      PL/pgSQL statements, e.g. from {@link #exec(String)}
     * @return the statement, ending in {@code ;}
     */
    static String guarded(String condition, List<String> body) {
        StringBuilder b = new StringBuilder();
        b.append("\nDECLARE\n    dw_search_path text := pg_catalog.current_setting('search_path');\n")
                .append("    dw_row record;\nBEGIN\n")
                .append("    PERFORM pg_catalog.set_config('search_path', 'pg_catalog', true);\n")
                .append("    IF ").append(condition).append(" THEN\n");
        for (String s : body) {
            b.append("        ").append(s).append('\n');
        }
        b.append("    END IF;\n")
                .append("    PERFORM pg_catalog.set_config('search_path', dw_search_path, true);\nEND\n");
        String text = b.toString();
        String tag = dollarTag(text);
        return "DO " + tag + text + tag + ";";
    }

    /** @return a dollar-quote tag ({@code $driftwatch$}, {@code $driftwatch_1$}, ...) absent from {@code body} */
    static String dollarTag(String body) {
        String tag = "$driftwatch$";
        for (int i = 1; body.contains(tag); i++) {
            tag = "$driftwatch_" + i + "$";
        }
        return tag;
    }

    /** @return column definition for CREATE TABLE / ADD COLUMN */
    static String columnDefinition(Column c) {
        StringBuilder b = new StringBuilder(id(c.name())).append(' ').append(c.type());
        if (c.collation() != null) {
            b.append(" COLLATE ").append(c.collation());
        }
        if (c.generatedExpr() != null) {
            b.append(" GENERATED ALWAYS AS (").append(c.generatedExpr()).append(") STORED");
        }
        if (c.defaultExpr() != null) {
            b.append(" DEFAULT ").append(c.defaultExpr());
        }
        if (c.identity() != Column.Identity.NONE) {
            b.append(' ').append(identity(c));
        }
        if (c.notNull()) {
            b.append(" NOT NULL");
        }
        return b.toString();
    }

    /**
     * The identity clause of a column, with the identity sequence's parameters when the model has
     * them (PostgreSQL docs, CREATE TABLE: {@code GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY [
     * ( sequence_options ) ]}). The {@code AS type} part of {@link Column#identityOptions()} is left
     * out: the sequence takes the column's type.
     *
     * @param c an identity column
     * @return e.g. {@code GENERATED ALWAYS AS IDENTITY (INCREMENT BY 1 MINVALUE 1 ... NO CYCLE)}
     */
    static String identity(Column c) {
        String opts = identityOptionsWithoutType(c.identityOptions());
        return c.identity().sql() + (opts.isEmpty() ? "" : " (" + opts + ")");
    }

    /** @return the identity options without a leading {@code AS <type> }, or empty for null */
    static String identityOptionsWithoutType(String options) {
        if (options == null || options.isBlank()) {
            return "";
        }
        int i = options.indexOf(" INCREMENT BY ");
        return options.startsWith("AS ") && i > 0 ? options.substring(i + 1) : options;
    }

    /**
     * {@code ALTER TABLE ... ALTER COLUMN} actions setting every identity sequence parameter
     * (PostgreSQL docs, ALTER TABLE: {@code SET sequence_option}); naturally idempotent.
     *
     * @param options canonical text as in {@link Column#identityOptions()}
     * @return e.g. {@code SET INCREMENT BY 1 SET MINVALUE 1 SET MAXVALUE 10 SET START WITH 1 SET
     *         CACHE 1 SET NO CYCLE}
     */
    static String identitySetOptions(String options) {
        String o = identityOptionsWithoutType(options);
        StringBuilder b = new StringBuilder();
        for (String part : List.of("INCREMENT BY ", "MINVALUE ", "MAXVALUE ", "START WITH ", "CACHE ")) {
            int i = o.indexOf(part);
            if (i < 0) {
                continue;
            }
            int end = o.indexOf(' ', i + part.length());
            b.append(" SET ").append(o, i, end < 0 ? o.length() : end);
        }
        b.append(o.endsWith(" NO CYCLE") || !o.endsWith(" CYCLE") ? " SET NO CYCLE" : " SET CYCLE");
        return b.toString().strip();
    }

    /**
     * A storage parameter or view option as it goes into {@code WITH (...)} / {@code SET (...)}:
     * the name quoted as needed (each part of {@code namespace.name}), the value bare when it is a
     * plain word or number, else a string literal.
     *
     * @param option {@code name=value} as stored in {@code reloptions}
     */
    static String option(String option) {
        int eq = option.indexOf('=');
        String key = eq < 0 ? option : option.substring(0, eq);
        String k = java.util.Arrays.stream(key.split("\\.", -1)).map(PgDdl::id).collect(Collectors.joining("."));
        if (eq < 0) {
            return k;
        }
        String v = option.substring(eq + 1);
        return k + "=" + (v.matches("[a-z0-9_]+(\\.[0-9]+)?") ? v : lit(v));
    }

    /** @return the name part of a {@code name=value} option, quoted as for {@link #option} */
    static String optionName(String option) {
        int eq = option.indexOf('=');
        return option(eq < 0 ? option : option.substring(0, eq));
    }

    /** @return {@code (a=1, b=2)} for {@code WITH} / {@code SET} */
    static String optionList(List<String> options) {
        return options.stream().map(PgDdl::option).collect(Collectors.joining(", ", "(", ")"));
    }

    /**
     * @param current options as they are
     * @param wanted  options as they must become
     * @return names of {@code current} options absent from {@code wanted}, as {@code (a, b)}, or
     *         null when none (for {@code RESET (...)})
     */
    static String resetList(List<String> current, List<String> wanted) {
        java.util.Set<String> keep = wanted.stream().map(PgDdl::optionName).collect(Collectors.toSet());
        List<String> gone = current.stream().map(PgDdl::optionName).filter(n -> !keep.contains(n)).distinct().toList();
        return gone.isEmpty() ? null : "(" + String.join(", ", gone) + ")";
    }

    /**
     * @return SQL condition: the sorted {@code reloptions} of relation {@code regclassExpr} equal
     *         {@code options} (code-point order, as the reader sorts them)
     */
    static String reloptionsEqual(String regclassExpr, List<String> options) {
        String arr = options.isEmpty() ? "ARRAY[]::text[]"
                : "ARRAY[" + options.stream().map(PgDdl::lit).collect(Collectors.joining(", ")) + "]::text[]";
        return "ARRAY(SELECT o FROM pg_catalog.pg_class rc, pg_catalog.unnest(rc.reloptions) AS o WHERE rc.oid = "
                + regclassExpr + " ORDER BY o COLLATE \"C\") = " + arr;
    }

    /**
     * {@code CREATE [UNLOGGED] TABLE IF NOT EXISTS ...} (PostgreSQL docs, CREATE TABLE).
     *
     * @return columns for a plain or partitioned table, {@code PARTITION OF parent <bound>} for a
     *         partition; {@code INHERITS (parents)} for plain inheritance (same-named columns are
     *         merged with the inherited ones, with a NOTICE); {@code PARTITION BY} when partitioned;
     *         {@code WITH (storage parameters)} when the table has any
     */
    static String createTable(Table t) {
        StringBuilder b = new StringBuilder(t.unlogged() ? "CREATE UNLOGGED TABLE IF NOT EXISTS "
                : "CREATE TABLE IF NOT EXISTS ").append(rel(t));
        if (t.partitionOf() != null) {
            b.append(" PARTITION OF ").append(t.partitionOf()).append(' ').append(t.partitionBound());
        } else {
            b.append(" (");
            String cols = t.columns().stream().map(c -> "\n    " + columnDefinition(c))
                    .collect(Collectors.joining(","));
            b.append(cols).append(t.columns().isEmpty() ? ")" : "\n)");
            if (!t.inherits().isEmpty()) {
                b.append(" INHERITS (").append(String.join(", ", t.inherits())).append(')');
            }
        }
        if (t.partitioned()) {
            b.append(" PARTITION BY ").append(t.partitionKey());
        }
        if (!t.options().isEmpty()) {
            b.append(" WITH ").append(optionList(t.options()));
        }
        return b.append(';').toString();
    }

    /** @return {@code ALTER TABLE t ADD CONSTRAINT name <definition>} (no semicolon) */
    static String addConstraint(Table t, Constraint c, boolean notValid) {
        String def = c.definition();
        if (notValid && !def.endsWith(" NOT VALID")) {
            def = def + " NOT VALID";
        }
        return "ALTER TABLE " + rel(t) + " ADD CONSTRAINT " + id(c.name()) + " " + def;
    }

    /** @return condition: the table has no constraint of that name */
    static String constraintMissing(Table t, String name) {
        return "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = " + regclass(t)
                + " AND conname = " + lit(name) + ")";
    }

    /** @return condition: the table has no constraint of that name and that exact definition */
    static String constraintDiffers(Table t, Constraint c) {
        return "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = " + regclass(t)
                + " AND conname = " + lit(c.name()) + " AND contype = " + lit(c.type().code())
                + " AND pg_catalog.pg_get_constraintdef(oid) IN (" + lit(c.definition()) + ", "
                + lit(stripNotValid(c.definition()) + " NOT VALID") + "))";
    }

    /** @return the definition without a trailing {@code  NOT VALID} */
    static String stripNotValid(String def) {
        return def.endsWith(" NOT VALID") ? def.substring(0, def.length() - " NOT VALID".length()) : def;
    }

    /**
     * The part of a {@code pg_get_indexdef} text after the index name: {@code ON [ONLY] schema.table
     * USING ...}.
     *
     * @throws IllegalArgumentException when the text is not {@code CREATE [UNIQUE] INDEX <name> ON ...}
     */
    static String indexTail(Index i) {
        String def = i.definition();
        String rest;
        if (def.startsWith("CREATE UNIQUE INDEX ")) {
            rest = def.substring("CREATE UNIQUE INDEX ".length());
        } else if (def.startsWith("CREATE INDEX ")) {
            rest = def.substring("CREATE INDEX ".length());
        } else {
            throw new IllegalArgumentException("not an index definition: " + def);
        }
        int end;
        if (rest.startsWith("\"")) {
            end = 1;
            while (true) {
                int q = rest.indexOf('"', end);
                if (q < 0) {
                    throw new IllegalArgumentException("unterminated index name in: " + def);
                }
                if (q + 1 < rest.length() && rest.charAt(q + 1) == '"') {
                    end = q + 2;
                } else {
                    end = q + 1;
                    break;
                }
            }
        } else {
            end = rest.indexOf(' ');
        }
        String tail = rest.substring(Math.max(end, 0)).stripLeading();
        if (end < 0 || !tail.startsWith("ON ")) {
            throw new IllegalArgumentException("not an index definition: " + def);
        }
        return tail;
    }

    /**
     * @param onPartitioned the table is partitioned: {@code ON ONLY} becomes {@code ON} so the index
     *                      cascades to the partitions (and {@code CONCURRENTLY} is not allowed)
     * @return {@code CREATE [UNIQUE] INDEX [CONCURRENTLY] IF NOT EXISTS name ON ...} (no semicolon)
     */
    static String createIndex(Index i, boolean concurrently, boolean onPartitioned) {
        String tail = indexTail(i);
        if (onPartitioned && tail.startsWith("ON ONLY ")) {
            tail = "ON " + tail.substring("ON ONLY ".length());
        }
        return "CREATE " + (i.unique() || i.definition().startsWith("CREATE UNIQUE ") ? "UNIQUE " : "")
                + "INDEX " + (concurrently ? "CONCURRENTLY " : "") + "IF NOT EXISTS " + id(i.name()) + " " + tail;
    }

    /** @return the view's query without the trailing semicolon and whitespace */
    static String viewQuery(View v) {
        String d = v.definition().strip();
        while (d.endsWith(";")) {
            d = d.substring(0, d.length() - 1).stripTrailing();
        }
        return d;
    }

    /**
     * {@code CREATE OR REPLACE VIEW name [WITH (options)] AS ...} or {@code CREATE MATERIALIZED VIEW
     * IF NOT EXISTS name [WITH (storage parameters)] AS ... WITH DATA} (no semicolon). View options
     * ({@code security_barrier}, {@code check_option}, {@code security_invoker}) go in {@code WITH};
     * {@code WITH CHECK OPTION} is the same as {@code WITH (check_option=cascaded)} (PostgreSQL docs,
     * CREATE VIEW). {@code CREATE OR REPLACE VIEW} replaces the options as well.
     */
    static String createView(View v) {
        String with = v.options().isEmpty() ? "" : " WITH " + optionList(v.options());
        if (v.materialized()) {
            return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + rel(v.schema(), v.name()) + with + " AS\n" + viewQuery(v)
                    + "\nWITH DATA";
        }
        return "CREATE OR REPLACE VIEW " + rel(v.schema(), v.name()) + with + " AS\n" + viewQuery(v);
    }

    /** @return {@code DROP [MATERIALIZED] VIEW IF EXISTS name} (no semicolon) */
    static String dropView(View v) {
        return "DROP " + (v.materialized() ? "MATERIALIZED VIEW" : "VIEW") + " IF EXISTS " + rel(v.schema(), v.name());
    }

    /** @return condition: the view is absent or its {@code pg_get_viewdef(oid, true)} or options differ */
    static String viewDiffers(View v) {
        return "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = " + regclass(v.schema(), v.name())
                + " AND relkind = " + lit(v.materialized() ? "m" : "v")
                + " AND pg_catalog.pg_get_viewdef(oid, true) = " + lit(v.definition())
                + " AND " + reloptionsEqual(regclass(v.schema(), v.name()), v.options()) + ")";
    }

    /** @return {@code CREATE TYPE name AS ENUM (...)} (no semicolon) */
    static String createEnum(String schema, String name, List<String> labels) {
        return "CREATE TYPE " + rel(schema, name) + " AS ENUM ("
                + labels.stream().map(PgDdl::lit).collect(Collectors.joining(", ")) + ")";
    }

    /** @return condition: no type of that name exists */
    static String typeMissing(EnumType e) {
        return "pg_catalog.to_regtype(" + lit(rel(e.schema(), e.name())) + ") IS NULL";
    }

    /** @return condition: the enum's labels (in sort order) are not exactly {@code labels} */
    static String enumLabelsDiffer(EnumType e) {
        String arr = e.labels().isEmpty() ? "ARRAY[]::text[]"
                : "ARRAY[" + e.labels().stream().map(PgDdl::lit).collect(Collectors.joining(", ")) + "]::text[]";
        return "(SELECT pg_catalog.array_agg(enumlabel::text ORDER BY enumsortorder) FROM pg_catalog.pg_enum"
                + " WHERE enumtypid = pg_catalog.to_regtype(" + lit(rel(e.schema(), e.name())) + "))"
                + " IS DISTINCT FROM " + (e.labels().isEmpty() ? "NULL" : arr);
    }

    /** @return sequence options {@code AS t INCREMENT BY .. MINVALUE .. MAXVALUE .. START WITH .. CACHE .. [NO] CYCLE} */
    static String sequenceOptions(Sequence s) {
        return "AS " + s.dataType() + " INCREMENT BY " + s.increment() + " MINVALUE " + s.min() + " MAXVALUE "
                + s.max() + " START WITH " + s.start() + " CACHE " + s.cache() + (s.cycle() ? " CYCLE" : " NO CYCLE");
    }

    /** @return condition: the column's {@code format_type} or collation differs from {@code c} */
    static String columnTypeDiffers(Table t, Column c) {
        String coll = c.collation() == null
                ? "a.attcollation = (SELECT typcollation FROM pg_catalog.pg_type WHERE oid = a.atttypid)"
                : "a.attcollation = pg_catalog.to_regcollation(" + lit(c.collation()) + ")";
        return "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = " + regclass(t)
                + " AND a.attname = " + lit(c.name()) + " AND NOT a.attisdropped"
                + " AND pg_catalog.format_type(a.atttypid, a.atttypmod) = " + lit(c.type()) + " AND " + coll + ")";
    }

    /** @return condition: the column exists and is not an identity column */
    static String columnHasNoIdentity(Table t, Column c) {
        return "EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = " + regclass(t)
                + " AND attname = " + lit(c.name()) + " AND NOT attisdropped AND attidentity = '')";
    }

    /** @return condition: the column has a default that is neither an identity nor a generation expression */
    static String columnHasPlainDefault(Table t, String column) {
        return "EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = " + regclass(t)
                + " AND attname = " + lit(column) + " AND NOT attisdropped AND atthasdef AND attidentity = ''"
                + " AND attgenerated = '')";
    }

    /** @return condition: the column is absent or not generated with exactly {@code c}'s expression */
    static String generatedDiffers(Table t, Column c) {
        return "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_attrdef d"
                + " ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attrelid = " + regclass(t)
                + " AND a.attname = " + lit(c.name()) + " AND NOT a.attisdropped AND a.attgenerated = 's'"
                + " AND pg_catalog.pg_get_expr(d.adbin, d.adrelid) = " + lit(c.generatedExpr()) + ")";
    }

    /** @return {@code ALTER TABLE t ALTER COLUMN c} prefix */
    static String alterColumn(Table t, String column) {
        return "ALTER TABLE " + rel(t) + " ALTER COLUMN " + id(column);
    }

    /**
     * @param viaText cast through {@code text} ({@code c::text::type}), for types without a direct cast
     * @return {@code ALTER TABLE t ALTER COLUMN c TYPE type [COLLATE coll] USING c[::text]::type}
     */
    static String alterColumnType(Table t, Column to, boolean viaText) {
        return alterColumn(t, to.name()) + " TYPE " + to.type()
                + (to.collation() != null ? " COLLATE " + to.collation() : "")
                + " USING " + id(to.name()) + (viaText ? "::text::" : "::") + to.type();
    }
}
