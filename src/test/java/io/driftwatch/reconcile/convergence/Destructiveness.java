package io.driftwatch.reconcile.convergence;

import io.driftwatch.diff.Change;
import io.driftwatch.diff.ChangeKind;
import io.driftwatch.model.Constraint;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.model.Table;
import io.driftwatch.plan.Plan;
import io.driftwatch.plan.Statement;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a plan must mark destructive, derived from the diff it implements.
 *
 * <p><b>Required</b>: objects whose change loses data: dropped tables, columns, sequences and
 * materialized views, enums rebuilt because a label is removed or labels are reordered, tables
 * rebuilt because their partitioning (partitioned or not, partition key) changes.
 * <b>Tolerated</b>: objects whose statements may or may not be called destructive: dropped schemas,
 * dropped extensions,
 * rebuilt materialized views, generated or identity columns that are re-made, re-bound partitions,
 * the columns/views of a rebuilt enum, and foreign keys on or to a dropped table (dropped first so
 * the table can go; skipped together with it). Anything else marked destructive is a finding.
 *
 * @param required  refs that need a destructive statement (with that ref as its object)
 * @param tolerated refs that may have one
 */
public record Destructiveness(Set<ObjectRef> required, Set<ObjectRef> tolerated) {

    /**
     * @param changes {@code SchemaDiffer.diff(from, to)}
     * @param from    the starting model (to find the users of a rebuilt enum)
     * @return the expectation
     */
    public static Destructiveness of(List<Change> changes, SchemaModel from) {
        Set<ObjectRef> required = new TreeSet<>();
        Set<ObjectRef> tolerated = new TreeSet<>();
        for (Change c : changes) {
            if (c instanceof Change.DropTable d) {
                required.add(d.ref());
            } else if (c instanceof Change.DropColumn d) {
                required.add(d.ref());
            } else if (c instanceof Change.DropSequence d) {
                required.add(d.ref());
            } else if (c instanceof Change.DropView d) {
                (d.view().materialized() ? required : tolerated).add(d.ref());
            } else if (c instanceof Change.ModifyView m && m.to().materialized()) {
                tolerated.add(m.ref());
            } else if (c instanceof Change.DropSchema d) {
                tolerated.add(d.ref());
            } else if (c instanceof Change.DropObject d && d.ref().kind() == ObjectKind.EXTENSION) {
                tolerated.add(d.ref()); // its objects go; data only in its configuration tables
            } else if (c instanceof Change.ModifyEnum m) {
                if (!isSubsequence(m.from().labels(), m.to().labels())) {
                    required.add(m.ref());
                    String typeName = qualifiedType(m.from().schema(), m.from().name());
                    for (Table t : from.tables()) {
                        t.columns().stream().filter(col -> col.type().equals(typeName)
                                        || col.type().equals(typeName + "[]"))
                                .forEach(col -> tolerated.add(ObjectRef.child(ObjectKind.COLUMN, t.schema(),
                                        t.name(), col.name())));
                    }
                    from.views().forEach(v -> tolerated.add(v.ref()));
                }
            } else if (c instanceof Change.ModifyTable m) {
                Table a = m.from();
                Table b = m.to();
                if (a.partitioned() != b.partitioned() || !Objects.equals(a.partitionKey(), b.partitionKey())) {
                    required.add(m.ref());
                } else {
                    tolerated.add(m.ref());
                }
            } else if (c instanceof Change.ModifyColumn m
                    && (m.changes().contains(ChangeKind.GENERATED) || m.changes().contains(ChangeKind.IDENTITY))) {
                tolerated.add(m.ref());
            }
        }
        // foreign keys dropped only so that a dropped table can go: part of that destructive step
        Set<String> droppedTables = new TreeSet<>();
        changes.stream().filter(c -> c instanceof Change.DropTable)
                .forEach(c -> droppedTables.add(((Change.DropTable) c).table().ref().qualifiedName()));
        for (Table t : from.tables()) {
            for (Constraint k : t.constraints()) {
                if (k.type() == Constraint.Type.FOREIGN_KEY
                        && (droppedTables.contains(t.ref().qualifiedName()) || droppedTables.contains(k.referencedTable()))) {
                    tolerated.add(ObjectRef.child(ObjectKind.CONSTRAINT, t.schema(), t.name(), k.name()));
                }
            }
        }
        tolerated.removeAll(required);
        return new Destructiveness(Set.copyOf(required), Set.copyOf(tolerated));
    }

    /**
     * @param plan a plan for the diff this expectation was made from
     * @return human lines naming every mismatch; empty when the plan marks exactly what it must
     */
    public List<String> mismatches(Plan plan) {
        List<String> out = new ArrayList<>();
        Set<ObjectRef> marked = new TreeSet<>();
        for (Statement s : plan.statements()) {
            if (s.destructive()) {
                marked.add(s.object());
                if (!required.contains(s.object()) && !tolerated.contains(s.object())) {
                    out.add("marked destructive but loses no data: " + s.object() + ": " + s.sql());
                }
            }
        }
        for (ObjectRef r : required) {
            if (!marked.contains(r)) {
                out.add("loses data but no statement for it is marked destructive: " + r);
            }
        }
        return out;
    }

    private static boolean isSubsequence(List<String> small, List<String> big) {
        int i = 0;
        for (String s : big) {
            if (i < small.size() && small.get(i).equals(s)) {
                i++;
            }
        }
        return i == small.size();
    }

    private static String qualifiedType(String schema, String name) {
        return io.driftwatch.model.Identifiers.qualified(schema, name);
    }
}
