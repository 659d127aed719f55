package io.driftwatch.policy;

import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.Column;
import io.driftwatch.model.Constraint;
import io.driftwatch.model.EnumType;
import io.driftwatch.model.Identifiers;
import io.driftwatch.model.Index;
import io.driftwatch.model.Sequence;
import io.driftwatch.model.Table;
import io.driftwatch.model.View;

import java.util.stream.Collectors;

/**
 * Renders model objects as short SQL-like text for the "expected" and "actual" sides of a finding.
 * The text is for people (reports), not for execution: the reconciliation planner generates
 * executable DDL.
 */
public final class ObjectText {

    private ObjectText() {
    }

    /** @return e.g. {@code integer NOT NULL DEFAULT 0} or {@code bigint GENERATED ALWAYS AS IDENTITY} */
    public static String column(Column c) {
        StringBuilder sb = new StringBuilder(c.type());
        if (c.collation() != null) {
            sb.append(" COLLATE ").append(c.collation());
        }
        if (c.generatedExpr() != null) {
            sb.append(" GENERATED ALWAYS AS (").append(c.generatedExpr()).append(") STORED");
        }
        if (c.identity() != Column.Identity.NONE) {
            sb.append(' ').append(c.identity().sql());
        }
        if (c.notNull()) {
            sb.append(" NOT NULL");
        }
        if (c.defaultExpr() != null) {
            sb.append(" DEFAULT ").append(c.defaultExpr());
        }
        return sb.toString();
    }

    /** @return a {@code CREATE TABLE} sketch listing columns and constraints, one per line */
    public static String table(Table t) {
        String body = t.columns().stream()
                .map(c -> "  " + Identifiers.quoteIfNeeded(c.name()) + " " + column(c))
                .collect(Collectors.joining(",\n"));
        String cons = t.constraints().stream()
                .map(k -> ",\n  CONSTRAINT " + Identifiers.quoteIfNeeded(k.name()) + " " + k.definition())
                .collect(Collectors.joining());
        String head = "CREATE TABLE " + Identifiers.qualified(t.schema(), t.name());
        String tail = ")";
        if (t.partitionOf() != null) {
            tail += " PARTITION OF " + t.partitionOf() + " " + t.partitionBound();
        }
        if (t.partitionKey() != null) {
            tail += " PARTITION BY " + t.partitionKey();
        }
        return head + " (\n" + body + cons + "\n" + tail;
    }

    /**
     * @param o a catalog object
     * @return its {@code definition} attribute when it has one (functions, triggers), then every other
     *         attribute as {@code key: value}, one per line
     */
    public static String object(CatalogObject o) {
        StringBuilder sb = new StringBuilder();
        String def = o.attr("definition");
        if (def != null) {
            sb.append(def.strip());
        }
        o.attributes().forEach((k, v) -> {
            if (!k.equals("definition")) {
                if (sb.length() > 0) {
                    sb.append('\n');
                }
                sb.append(k).append(": ").append(v);
            }
        });
        return sb.toString();
    }

    /**
     * @param t a table
     * @return its table-level settings other than partitioning, e.g.
     *         {@code UNLOGGED; ROW LEVEL SECURITY ENABLED; WITH (fillfactor=70); INHERITS (public.base)}
     */
    public static String settings(Table t) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        parts.add(t.unlogged() ? "UNLOGGED" : "LOGGED");
        if (t.rowSecurity() || t.forceRowSecurity()) {
            parts.add("ROW LEVEL SECURITY " + (t.rowSecurity() ? "ENABLED" : "DISABLED")
                    + (t.forceRowSecurity() ? ", FORCED" : ""));
        }
        if (!t.options().isEmpty()) {
            parts.add("WITH (" + String.join(", ", t.options()) + ")");
        }
        if (!t.inherits().isEmpty()) {
            parts.add("INHERITS (" + String.join(", ", t.inherits()) + ")");
        }
        return String.join("; ", parts);
    }

    /** @return partitioning attributes of a table, e.g. {@code PARTITION BY RANGE (at)} or {@code not partitioned} */
    public static String partitioning(Table t) {
        StringBuilder sb = new StringBuilder();
        if (t.partitionKey() != null) {
            sb.append("PARTITION BY ").append(t.partitionKey());
        }
        if (t.partitionOf() != null) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append("PARTITION OF ").append(t.partitionOf()).append(' ').append(t.partitionBound());
        }
        return sb.length() == 0 ? "not partitioned" : sb.toString();
    }

    /** @return {@code CONSTRAINT name <pg_get_constraintdef>} */
    public static String constraint(Constraint c) {
        return "CONSTRAINT " + Identifiers.quoteIfNeeded(c.name()) + " " + c.definition();
    }

    /** @return the index definition, with {@code (INVALID)} appended for an invalid index */
    public static String index(Index i) {
        return i.definition() + (i.valid() ? "" : " (INVALID)");
    }

    /** @return {@code CREATE [MATERIALIZED] VIEW name AS <pg_get_viewdef>} */
    public static String view(View v) {
        return "CREATE " + (v.materialized() ? "MATERIALIZED " : "") + "VIEW "
                + Identifiers.qualified(v.schema(), v.name()) + " AS\n" + v.definition();
    }

    /** @return {@code CREATE SEQUENCE name AS type INCREMENT ... } */
    public static String sequence(Sequence s) {
        return "CREATE SEQUENCE " + Identifiers.qualified(s.schema(), s.name()) + " AS " + s.dataType()
                + " INCREMENT " + s.increment() + " MINVALUE " + s.min() + " MAXVALUE " + s.max()
                + " START " + s.start() + " CACHE " + s.cache() + (s.cycle() ? " CYCLE" : " NO CYCLE")
                + (s.ownedBy() != null ? " OWNED BY " + s.ownedBy() : "");
    }

    /** @return {@code CREATE TYPE name AS ENUM ('a', 'b')} */
    public static String enumType(EnumType e) {
        return "CREATE TYPE " + Identifiers.qualified(e.schema(), e.name()) + " AS ENUM ("
                + e.labels().stream().map(Identifiers::literal).collect(Collectors.joining(", ")) + ")";
    }
}
