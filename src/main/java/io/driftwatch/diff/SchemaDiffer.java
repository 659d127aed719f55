package io.driftwatch.diff;

import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.Column;
import io.driftwatch.model.Constraint;
import io.driftwatch.model.EnumType;
import io.driftwatch.model.Index;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.model.Sequence;
import io.driftwatch.model.Table;
import io.driftwatch.model.View;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Computes the {@link Change}s that turn one {@link SchemaModel} into another.
 *
 * <p>Algorithm: every object kind is matched by identity (schema + name, or parent relation + name)
 * through hash maps, so the cost is linear in the number of objects; never nested scans. A table
 * that is added or dropped is one change (its columns, constraints and indexes are not repeated).
 * Attributes are compared on the server's own deparsed text ({@code format_type},
 * {@code pg_get_constraintdef}, {@code pg_get_indexdef}, {@code pg_get_viewdef}), so both models
 * must come from readers that pin the same {@code search_path}.
 *
 * <p>Column order ({@link Column#position()}) and the server version are not compared.
 * The result is sorted by object identity, then by change type, so equal inputs give equal lists.
 * Pure: no I/O, no state; safe to share.
 */
public final class SchemaDiffer {

    /**
     * @param from the starting model (in an audit: the expected model, replayed from migrations)
     * @param to   the target model (in an audit: the actual, live model)
     * @return changes that move {@code from} to {@code to}; empty when the models are equivalent
     */
    public List<Change> diff(SchemaModel from, SchemaModel to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        List<Change> out = new ArrayList<>();

        match(from.schemas(), to.schemas(), Function.identity(),
                s -> out.add(new Change.DropSchema(s)), s -> out.add(new Change.AddSchema(s)), (a, b) -> { });

        match(from.enums(), to.enums(), e -> key(e.schema(), e.name()),
                e -> out.add(new Change.DropEnum(e)), e -> out.add(new Change.AddEnum(e)),
                (a, b) -> {
                    if (!a.labels().equals(b.labels())) {
                        out.add(new Change.ModifyEnum(a, b));
                    }
                });

        match(from.sequences(), to.sequences(), s -> key(s.schema(), s.name()),
                s -> out.add(new Change.DropSequence(s)), s -> out.add(new Change.AddSequence(s)),
                (a, b) -> {
                    if (!a.equals(b)) {
                        out.add(new Change.ModifySequence(a, b));
                    }
                });

        match(from.tables(), to.tables(), t -> key(t.schema(), t.name()),
                t -> out.add(new Change.DropTable(t)), t -> out.add(new Change.AddTable(t)),
                (a, b) -> diffTable(a, b, out));

        match(from.views(), to.views(), v -> key(v.schema(), v.name()),
                v -> out.add(new Change.DropView(v)), v -> out.add(new Change.AddView(v)),
                (a, b) -> {
                    if (a.materialized() != b.materialized()) {
                        out.add(new Change.DropView(a));
                        out.add(new Change.AddView(b));
                    } else if (!Objects.equals(a.definition(), b.definition()) || !a.options().equals(b.options())) {
                        out.add(new Change.ModifyView(a, b));
                    }
                });

        match(from.objects(), to.objects(), CatalogObject::ref,
                o -> out.add(new Change.DropObject(o)), o -> out.add(new Change.AddObject(o)),
                (a, b) -> {
                    List<String> changed = changedAttributes(a, b);
                    if (!changed.isEmpty()) {
                        out.add(new Change.ModifyObject(a, b, changed));
                    }
                });

        out.sort(Comparator.comparing(Change::ref)
                .thenComparing(c -> c.getClass().getSimpleName()));
        return List.copyOf(out);
    }

    private static void diffTable(Table a, Table b, List<Change> out) {
        if (a.partitioned() != b.partitioned()
                || !Objects.equals(a.partitionKey(), b.partitionKey())
                || !Objects.equals(a.partitionOf(), b.partitionOf())
                || !Objects.equals(a.partitionBound(), b.partitionBound())
                || a.unlogged() != b.unlogged()
                || a.rowSecurity() != b.rowSecurity()
                || a.forceRowSecurity() != b.forceRowSecurity()
                || !a.options().equals(b.options())
                || !a.inherits().equals(b.inherits())) {
            out.add(new Change.ModifyTable(a, b));
        }
        match(a.columns(), b.columns(), Column::name,
                c -> out.add(new Change.DropColumn(b, c)), c -> out.add(new Change.AddColumn(b, c)),
                (x, y) -> {
                    EnumSet<ChangeKind> kinds = columnChanges(x, y);
                    if (!kinds.isEmpty()) {
                        out.add(new Change.ModifyColumn(b, x, y, kinds));
                    }
                });
        match(a.constraints(), b.constraints(), Constraint::name,
                c -> out.add(new Change.DropConstraint(b, c)), c -> out.add(new Change.AddConstraint(b, c)),
                (x, y) -> {
                    if (x.type() != y.type() || !Objects.equals(x.definition(), y.definition())) {
                        out.add(new Change.ModifyConstraint(b, x, y));
                    }
                });
        match(a.indexes(), b.indexes(), Index::name,
                i -> out.add(new Change.DropIndex(b, i)), i -> out.add(new Change.AddIndex(b, i)),
                (x, y) -> {
                    if (!Objects.equals(x.definition(), y.definition()) || x.valid() != y.valid()) {
                        out.add(new Change.ModifyIndex(b, x, y));
                    }
                });
    }

    /**
     * @return the attributes that differ between two same-named columns (empty when equal)
     */
    static EnumSet<ChangeKind> columnChanges(Column x, Column y) {
        EnumSet<ChangeKind> kinds = EnumSet.noneOf(ChangeKind.class);
        if (!Objects.equals(x.type(), y.type())) {
            kinds.add(ChangeKind.TYPE);
        }
        if (x.notNull() != y.notNull()) {
            kinds.add(ChangeKind.NULLABILITY);
        }
        if (!Objects.equals(x.defaultExpr(), y.defaultExpr())) {
            kinds.add(ChangeKind.DEFAULT);
        }
        if (x.identity() != y.identity()) {
            kinds.add(ChangeKind.IDENTITY);
        } else if (x.identity() != Column.Identity.NONE
                && !Objects.equals(x.identityOptions(), y.identityOptions())) {
            kinds.add(ChangeKind.IDENTITY_OPTIONS);
        }
        if (!Objects.equals(x.generatedExpr(), y.generatedExpr())) {
            kinds.add(ChangeKind.GENERATED);
        }
        if (!Objects.equals(x.collation(), y.collation())) {
            kinds.add(ChangeKind.COLLATION);
        }
        return kinds;
    }

    /**
     * @return attribute names whose values differ between two objects of the same identity, sorted
     */
    static List<String> changedAttributes(CatalogObject a, CatalogObject b) {
        java.util.TreeSet<String> keys = new java.util.TreeSet<>(a.attributes().keySet());
        keys.addAll(b.attributes().keySet());
        List<String> changed = new ArrayList<>();
        for (String k : keys) {
            if (!Objects.equals(a.attr(k), b.attr(k))) {
                changed.add(k);
            }
        }
        return changed;
    }

    private static String key(String schema, String name) {
        return schema + '\u0000' + name;
    }

    /** Hash-join two lists on a key: call onlyFrom / onlyTo / both for each key. */
    private static <T> void match(List<T> from, List<T> to, Function<T, ?> keyOf,
                                  Consumer<T> onlyFrom, Consumer<T> onlyTo, BiConsumer<T, T> both) {
        Map<Object, T> right = new LinkedHashMap<>(to.size() * 2);
        for (T t : to) {
            right.put(keyOf.apply(t), t);
        }
        for (T f : from) {
            T t = right.remove(keyOf.apply(f));
            if (t == null) {
                onlyFrom.accept(f);
            } else {
                both.accept(f, t);
            }
        }
        right.values().forEach(onlyTo);
    }
}
