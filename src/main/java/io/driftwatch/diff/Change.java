package io.driftwatch.diff;

import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.Column;
import io.driftwatch.model.Constraint;
import io.driftwatch.model.EnumType;
import io.driftwatch.model.Index;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.Sequence;
import io.driftwatch.model.Table;
import io.driftwatch.model.View;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One schema change that moves a {@code from} model towards a {@code to} model, in the diff
 * vocabulary of Atlas ({@code sql/schema/migrate.go}): {@code AddTable}, {@code DropColumn},
 * {@code ModifyColumn{From, To, Changes}}, ...
 *
 * <p>In an audit the differ runs as {@code diff(expected, actual)}, so an {@code Add*} is an object
 * present in the live database but not in the migrations ("extra") and a {@code Drop*} one the
 * migrations create but the database lacks ("missing"). A bridge runs {@code diff(actual, expected)}.
 *
 * <p>The interface is sealed: a {@code switch} over it in a renderer or classifier fails to compile
 * when a case is forgotten.
 */
public sealed interface Change {

    /** @return identity of the object the change is about */
    ObjectRef ref();

    /**
     * Double dispatch over the sealed family (Java 17 has no pattern {@code switch}): an
     * implementation of {@link Visitor} that forgets a case does not compile.
     *
     * @param visitor the operation
     * @param <R>     its result type
     * @return what the visitor returns for this change
     */
    <R> R accept(Visitor<R> visitor);

    /** A schema present in {@code to} only. */
    record AddSchema(String name) implements Change {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public ObjectRef ref() {
            return ObjectRef.schema(name);
        }
    }

    /** A schema present in {@code from} only. */
    record DropSchema(String name) implements Change {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public ObjectRef ref() {
            return ObjectRef.schema(name);
        }
    }

    /** A table present in {@code to} only (with all its columns, constraints and indexes). */
    record AddTable(Table table) implements Change {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public ObjectRef ref() {
            return table.ref();
        }
    }

    /** A table present in {@code from} only. */
    record DropTable(Table table) implements Change {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public ObjectRef ref() {
            return table.ref();
        }
    }

    /**
     * Table-level attributes differ (partitioning, UNLOGGED, row level security, storage parameters,
     * inheritance); {@code from}/{@code to} are the two sides.
     */
    record ModifyTable(Table from, Table to) implements Change {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public ObjectRef ref() {
            return to.ref();
        }
    }

    /** A column present in {@code to}'s table only. */
    record AddColumn(Table table, Column column) implements Change {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public ObjectRef ref() {
            return ObjectRef.child(ObjectKind.COLUMN, table.schema(), table.name(), column.name());
        }
    }

    /** A column present in {@code from}'s table only. */
    record DropColumn(Table table, Column column) implements Change {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public ObjectRef ref() {
            return ObjectRef.child(ObjectKind.COLUMN, table.schema(), table.name(), column.name());
        }
    }

    /**
     * A column on both sides whose attributes differ.
     *
     * @param table   the table on the {@code to} side
     * @param from    column as in {@code from}
     * @param to      column as in {@code to}
     * @param changes which attributes differ; never empty
     */
    record ModifyColumn(Table table, Column from, Column to, Set<ChangeKind> changes) implements Change {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        public ModifyColumn {
            changes = Set.copyOf(EnumSet.copyOf(changes));
        }

        @Override
        public ObjectRef ref() {
            return ObjectRef.child(ObjectKind.COLUMN, table.schema(), table.name(), to.name());
        }
    }

    /** A constraint present in {@code to} only. */
    record AddConstraint(Table table, Constraint constraint) implements Change {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public ObjectRef ref() {
            return ObjectRef.child(ObjectKind.CONSTRAINT, table.schema(), table.name(), constraint.name());
        }
    }

    /** A constraint present in {@code from} only. */
    record DropConstraint(Table table, Constraint constraint) implements Change {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public ObjectRef ref() {
            return ObjectRef.child(ObjectKind.CONSTRAINT, table.schema(), table.name(), constraint.name());
        }
    }

    /** A same-named constraint whose definition differs. */
    record ModifyConstraint(Table table, Constraint from, Constraint to) implements Change {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public ObjectRef ref() {
            return ObjectRef.child(ObjectKind.CONSTRAINT, table.schema(), table.name(), to.name());
        }
    }

    /** An index present in {@code to} only. */
    record AddIndex(Table table, Index index) implements Change {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public ObjectRef ref() {
            return ObjectRef.child(ObjectKind.INDEX, table.schema(), table.name(), index.name());
        }
    }

    /** An index present in {@code from} only. */
    record DropIndex(Table table, Index index) implements Change {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public ObjectRef ref() {
            return ObjectRef.child(ObjectKind.INDEX, table.schema(), table.name(), index.name());
        }
    }

    /** A same-named index whose definition or validity differs. */
    record ModifyIndex(Table table, Index from, Index to) implements Change {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public ObjectRef ref() {
            return ObjectRef.child(ObjectKind.INDEX, table.schema(), table.name(), to.name());
        }
    }

    /** A view or materialized view present in {@code to} only. */
    record AddView(View view) implements Change {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public ObjectRef ref() {
            return view.ref();
        }
    }

    /** A view or materialized view present in {@code from} only. */
    record DropView(View view) implements Change {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public ObjectRef ref() {
            return view.ref();
        }
    }

    /** A same-named view whose definition or options ({@code reloptions}) differ. */
    record ModifyView(View from, View to) implements Change {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public ObjectRef ref() {
            return to.ref();
        }
    }

    /** A sequence present in {@code to} only. */
    record AddSequence(Sequence sequence) implements Change {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public ObjectRef ref() {
            return sequence.ref();
        }
    }

    /** A sequence present in {@code from} only. */
    record DropSequence(Sequence sequence) implements Change {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public ObjectRef ref() {
            return sequence.ref();
        }
    }

    /** A same-named sequence whose parameters differ. */
    record ModifySequence(Sequence from, Sequence to) implements Change {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public ObjectRef ref() {
            return to.ref();
        }
    }

    /** An enum type present in {@code to} only. */
    record AddEnum(EnumType type) implements Change {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public ObjectRef ref() {
            return type.ref();
        }
    }

    /** An enum type present in {@code from} only. */
    record DropEnum(EnumType type) implements Change {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public ObjectRef ref() {
            return type.ref();
        }
    }

    /** A same-named enum type whose labels (or their order) differ. */
    record ModifyEnum(EnumType from, EnumType to) implements Change {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public ObjectRef ref() {
            return to.ref();
        }
    }

    /** A {@link CatalogObject} (function, trigger, domain, comment, grant, ...) present in {@code to} only. */
    record AddObject(CatalogObject object) implements Change {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public ObjectRef ref() {
            return object.ref();
        }
    }

    /** A {@link CatalogObject} present in {@code from} only. */
    record DropObject(CatalogObject object) implements Change {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public ObjectRef ref() {
            return object.ref();
        }
    }

    /**
     * A {@link CatalogObject} on both sides whose attributes differ.
     *
     * @param from    the object as in {@code from}
     * @param to      the object as in {@code to}
     * @param changed names of the attributes that differ (present on one side only, or with different
     *                values), sorted; never empty
     */
    record ModifyObject(CatalogObject from, CatalogObject to, List<String> changed) implements Change {
        public ModifyObject {
            changed = changed.stream().sorted().toList();
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }

        @Override
        public ObjectRef ref() {
            return to.ref();
        }
    }

    /**
     * One method per change type; see {@link #accept(Visitor)}.
     *
     * @param <R> result type
     */
    interface Visitor<R> {
        R visit(AddSchema c);

        R visit(DropSchema c);

        R visit(AddTable c);

        R visit(DropTable c);

        R visit(ModifyTable c);

        R visit(AddColumn c);

        R visit(DropColumn c);

        R visit(ModifyColumn c);

        R visit(AddConstraint c);

        R visit(DropConstraint c);

        R visit(ModifyConstraint c);

        R visit(AddIndex c);

        R visit(DropIndex c);

        R visit(ModifyIndex c);

        R visit(AddView c);

        R visit(DropView c);

        R visit(ModifyView c);

        R visit(AddSequence c);

        R visit(DropSequence c);

        R visit(ModifySequence c);

        R visit(AddEnum c);

        R visit(DropEnum c);

        R visit(ModifyEnum c);

        R visit(AddObject c);

        R visit(DropObject c);

        R visit(ModifyObject c);
    }
}
