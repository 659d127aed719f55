package io.driftwatch.model;

import java.util.Comparator;
import java.util.Objects;

/**
 * Stable identity of a schema object: its kind, schema, name and (for columns, constraints and
 * indexes) the name of the relation it belongs to. Two models are diffed by matching refs.
 *
 * <p>{@link #qualifiedName()} renders {@code schema.parent.name} (or {@code schema.name}) with
 * PostgreSQL's identifier quoting applied to each part that needs it, so hostile names stay
 * unambiguous in reports.
 *
 * @param kind   object kind, never null
 * @param schema schema (namespace) name; {@code null} for database-wide kinds ({@link ObjectKind#SCHEMA},
 *               {@link ObjectKind#EXTENSION}, {@link ObjectKind#EVENT_TRIGGER}, {@link ObjectKind#HISTORY})
 * @param parent owning relation name for columns, constraints, indexes, triggers and policies, else {@code null}
 * @param name   object name (for {@link ObjectKind#HISTORY}: the migration version or script; for
 *               routines {@code name(argument types)}; for {@linkplain ObjectKind#attached() attached}
 *               kinds the display text of the object they describe, shown verbatim)
 */
public record ObjectRef(ObjectKind kind, String schema, String parent, String name)
        implements Comparable<ObjectRef> {

    private static final Comparator<String> NULLS_FIRST = Comparator.nullsFirst(Comparator.naturalOrder());
    private static final Comparator<ObjectRef> ORDER = Comparator
            .comparing((ObjectRef r) -> r.schema(), NULLS_FIRST)
            .thenComparing((ObjectRef r) -> r.parent() != null ? r.parent() : r.name(), NULLS_FIRST)
            .thenComparing((ObjectRef r) -> r.parent() == null ? "" : r.name(), NULLS_FIRST)
            .thenComparing(ObjectRef::kind);

    public ObjectRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    /** A schema-level object (table, view, sequence, enum). */
    public static ObjectRef of(ObjectKind kind, String schema, String name) {
        return new ObjectRef(kind, schema, null, name);
    }

    /** An object owned by a relation (column, constraint, index). */
    public static ObjectRef child(ObjectKind kind, String schema, String relation, String name) {
        return new ObjectRef(kind, schema, relation, name);
    }

    /** The schema itself. */
    public static ObjectRef schema(String name) {
        return new ObjectRef(ObjectKind.SCHEMA, null, null, name);
    }

    /** A migration in the version table, named by version or (repeatables) by description. */
    public static ObjectRef migration(String versionOrScript) {
        return new ObjectRef(ObjectKind.HISTORY, null, null, versionOrScript);
    }

    /**
     * @return dotted display name with each part quoted where PostgreSQL would need it,
     *         e.g. {@code public.orders.status} or {@code "My Schema"."t"}
     */
    public String qualifiedName() {
        if (kind.attached()) {
            return name;
        }
        StringBuilder sb = new StringBuilder();
        if (schema != null) {
            sb.append(Identifiers.quoteIfNeeded(schema)).append('.');
        }
        if (parent != null) {
            sb.append(Identifiers.quoteIfNeeded(parent)).append('.');
        }
        int paren = kind.routine() ? name.indexOf('(') : -1;
        if (kind == ObjectKind.HISTORY) {
            sb.append(name);
        } else if (paren > 0) {
            sb.append(Identifiers.quoteIfNeeded(name.substring(0, paren))).append(name.substring(paren));
        } else {
            sb.append(Identifiers.quoteIfNeeded(name));
        }
        return sb.toString();
    }

    @Override
    public int compareTo(ObjectRef o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return kind.label() + " " + qualifiedName();
    }
}
