package io.driftwatch.policy;

import io.driftwatch.diff.Change;
import io.driftwatch.diff.ChangeKind;
import io.driftwatch.model.Column;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;

import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.Table;
import io.driftwatch.model.UnmodelledObject;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.Comparator;
import java.util.List;

/**
 * Turns diff results into {@link Finding}s: each {@link Change} of {@code diff(expected, actual)}
 * and each {@link HistoryFinding} gets its {@link Rule}, the rule's default severity, the expected
 * and actual text, and a one-line message.
 *
 * <p>Mapping: {@code Add*} (present only in the database) → {@code extra-*}, {@code Drop*}
 * (present only in the migrations) → {@code missing-*}, {@code Modify*} → {@code changed-*};
 * a {@link Change.ModifyColumn} yields one finding per {@link ChangeKind} (DW109–DW114).
 * History kinds map one to one onto DW201–DW211. Pure; thread-safe.
 */
public final class Classifier {

    /** Orders findings most severe first, then by object identity, then by rule id. */
    public static final Comparator<Finding> ORDER = Comparator
            .comparing(Finding::severity)
            .thenComparing(Finding::object)
            .thenComparing(Finding::rule);

    /**
     * @param changes changes from {@code SchemaDiffer.diff(expected, actual)}
     * @return findings, unsorted, one or more per change
     */
    public List<Finding> drift(List<Change> changes) {
        List<Finding> out = new ArrayList<>();
        Set<ObjectRef> addedOrDropped = new HashSet<>();
        for (Change c : changes) {
            if (!(c instanceof Change.ModifyObject || c instanceof Change.ModifyTable
                    || c instanceof Change.ModifyColumn || c instanceof Change.ModifyConstraint
                    || c instanceof Change.ModifyIndex || c instanceof Change.ModifyView
                    || c instanceof Change.ModifySequence || c instanceof Change.ModifyEnum)) {
                addedOrDropped.add(c.ref());
            }
        }
        DriftRules rules = new DriftRules();
        for (Change c : changes) {
            if (followsItsTarget(c, addedOrDropped)) {
                continue;
            }
            out.addAll(c.accept(rules));
        }
        return out;
    }

    /**
     * @param notAudited objects the live database holds that Driftwatch does not model
     * @return one {@link Rule#DW178} finding per object, so no report says "in sync" while blind
     */
    public List<Finding> notAudited(List<UnmodelledObject> notAudited) {
        List<Finding> out = new ArrayList<>(notAudited.size());
        for (UnmodelledObject u : notAudited) {
            out.add(finding(Rule.DW178, u.ref(), null, u.display(),
                    u.display() + " is not audited: Driftwatch does not model " + u.kind() + "s yet"));
        }
        return out;
    }

    /**
     * An attached object (comment, privilege, owner) whose target is itself added or dropped is part
     * of that finding, not a finding of its own; an owner is only ever compared, never "extra".
     */
    private static boolean followsItsTarget(Change c, Set<ObjectRef> addedOrDropped) {
        CatalogObject o;
        if (c instanceof Change.AddObject a) {
            o = a.object();
        } else if (c instanceof Change.DropObject d) {
            o = d.object();
        } else {
            return false;
        }
        if (o.kind() == ObjectKind.OWNER) {
            return true;
        }
        ObjectRef t = o.target();
        if (t == null) {
            return false;
        }
        if (addedOrDropped.contains(t)) {
            return true;
        }
        if (t.parent() != null) {
            return addedOrDropped.contains(ObjectRef.of(ObjectKind.TABLE, t.schema(), t.parent()))
                    || addedOrDropped.contains(ObjectRef.of(ObjectKind.VIEW, t.schema(), t.parent()))
                    || addedOrDropped.contains(ObjectRef.of(ObjectKind.MATERIALIZED_VIEW, t.schema(), t.parent()));
        }
        return false;
    }

    /** Extra / missing / changed rule of each kind modelled as a {@link CatalogObject}. */
    private static final Map<ObjectKind, Rule[]> OBJECT_RULES = new EnumMap<>(ObjectKind.class);

    static {
        OBJECT_RULES.put(ObjectKind.EXTENSION, new Rule[] {Rule.DW129, Rule.DW130, Rule.DW131});
        OBJECT_RULES.put(ObjectKind.COLLATION, new Rule[] {Rule.DW132, Rule.DW133, Rule.DW134});
        OBJECT_RULES.put(ObjectKind.DOMAIN, new Rule[] {Rule.DW135, Rule.DW136, Rule.DW137});
        OBJECT_RULES.put(ObjectKind.COMPOSITE_TYPE, new Rule[] {Rule.DW138, Rule.DW139, Rule.DW140});
        OBJECT_RULES.put(ObjectKind.RANGE_TYPE, new Rule[] {Rule.DW141, Rule.DW142, Rule.DW143});
        OBJECT_RULES.put(ObjectKind.FUNCTION, new Rule[] {Rule.DW144, Rule.DW145, Rule.DW146});
        OBJECT_RULES.put(ObjectKind.PROCEDURE, new Rule[] {Rule.DW147, Rule.DW148, Rule.DW149});
        OBJECT_RULES.put(ObjectKind.AGGREGATE, new Rule[] {Rule.DW150, Rule.DW151, Rule.DW152});
        OBJECT_RULES.put(ObjectKind.TRIGGER, new Rule[] {Rule.DW153, Rule.DW154, Rule.DW155});
        OBJECT_RULES.put(ObjectKind.EVENT_TRIGGER, new Rule[] {Rule.DW156, Rule.DW157, Rule.DW158});
        OBJECT_RULES.put(ObjectKind.POLICY, new Rule[] {Rule.DW159, Rule.DW160, Rule.DW161});
        OBJECT_RULES.put(ObjectKind.COMMENT, new Rule[] {Rule.DW162, Rule.DW163, Rule.DW164});
        OBJECT_RULES.put(ObjectKind.PRIVILEGE, new Rule[] {Rule.DW165, Rule.DW166, Rule.DW167});
        OBJECT_RULES.put(ObjectKind.DEFAULT_PRIVILEGE, new Rule[] {Rule.DW168, Rule.DW169, Rule.DW170});
        OBJECT_RULES.put(ObjectKind.OWNER, new Rule[] {Rule.DW171, Rule.DW171, Rule.DW171});
        OBJECT_RULES.put(ObjectKind.INDEX, new Rule[] {Rule.DW101, Rule.DW102, Rule.DW103});
    }

    private static Rule objectRule(ObjectKind kind, int which) {
        Rule[] rules = OBJECT_RULES.get(kind);
        if (rules == null) {
            throw new IllegalStateException("no rules for catalog object kind " + kind);
        }
        return rules[which];
    }

    /** Classifies one change; one visit method per change type (the compiler checks coverage). */
    private static final class DriftRules implements Change.Visitor<List<Finding>> {
        @Override
        public List<Finding> visit(Change.AddSchema c) {
            return List.of(finding(Rule.DW127, c.ref(), null, "CREATE SCHEMA " + c.ref().qualifiedName(),
                    "schema " + c.ref().qualifiedName() + " exists in the database but no migration creates it"));
        }

        @Override
        public List<Finding> visit(Change.DropSchema c) {
            return List.of(finding(Rule.DW128, c.ref(), "CREATE SCHEMA " + c.ref().qualifiedName(), null,
                    "schema " + c.ref().qualifiedName() + " is created by the migrations but missing from the database"));
        }

        @Override
        public List<Finding> visit(Change.AddTable c) {
            return List.of(finding(Rule.DW104, c.ref(), null, ObjectText.table(c.table()),
                    "table " + c.ref().qualifiedName() + " exists in the database but no migration creates it"));
        }

        @Override
        public List<Finding> visit(Change.DropTable c) {
            return List.of(finding(Rule.DW105, c.ref(), ObjectText.table(c.table()), null,
                    "table " + c.ref().qualifiedName() + " is created by the migrations but missing from the database"));
        }

        @Override
        public List<Finding> visit(Change.ModifyTable c) {
            Table a = c.from();
            Table b = c.to();
            String name = c.ref().qualifiedName();
            List<Finding> out = new ArrayList<>();
            if (!ObjectText.partitioning(a).equals(ObjectText.partitioning(b)) || a.partitioned() != b.partitioned()) {
                out.add(finding(Rule.DW106, c.ref(), ObjectText.partitioning(a), ObjectText.partitioning(b),
                        "table " + name + " is partitioned differently than the migrations say"));
            }
            if (a.unlogged() != b.unlogged()) {
                out.add(finding(Rule.DW172, c.ref(), a.unlogged() ? "UNLOGGED" : "LOGGED", b.unlogged() ? "UNLOGGED" : "LOGGED",
                        "table " + name + (b.unlogged() ? " is UNLOGGED in the database (its data is lost on a crash) but logged in the migrations"
                                : " is logged in the database but UNLOGGED in the migrations")));
            }
            if (a.rowSecurity() != b.rowSecurity() || a.forceRowSecurity() != b.forceRowSecurity()) {
                out.add(finding(Rule.DW173, c.ref(), rowSecurity(a), rowSecurity(b),
                        "table " + name + " row level security is " + rowSecurity(b) + " in the database but "
                                + rowSecurity(a) + " in the migrations"));
            }
            if (!a.options().equals(b.options())) {
                out.add(finding(Rule.DW174, c.ref(), options(a.options()), options(b.options()),
                        "table " + name + " storage parameters are " + options(b.options()) + " in the database but "
                                + options(a.options()) + " in the migrations"));
            }
            if (!a.inherits().equals(b.inherits())) {
                out.add(finding(Rule.DW175, c.ref(), inherits(a), inherits(b),
                        "table " + name + " inherits " + inherits(b) + " in the database but " + inherits(a)
                                + " in the migrations"));
            }
            return out;
        }

        @Override
        public List<Finding> visit(Change.AddColumn c) {
            return List.of(finding(Rule.DW107, c.ref(), null, ObjectText.column(c.column()),
                    "column " + c.ref().qualifiedName() + " exists in the database but no migration creates it"));
        }

        @Override
        public List<Finding> visit(Change.DropColumn c) {
            return List.of(finding(Rule.DW108, c.ref(), ObjectText.column(c.column()), null,
                    "column " + c.ref().qualifiedName() + " is created by the migrations but missing from the database"));
        }

        @Override
        public List<Finding> visit(Change.ModifyColumn c) {
            List<Finding> out = new ArrayList<>();
            modifyColumn(c, out);
            return out;
        }

        @Override
        public List<Finding> visit(Change.AddConstraint c) {
            return List.of(finding(Rule.DW115, c.ref(), null, ObjectText.constraint(c.constraint()),
                    c.constraint().type().label() + " constraint " + c.ref().qualifiedName() + " exists in the database but no migration creates it"));
        }

        @Override
        public List<Finding> visit(Change.DropConstraint c) {
            return List.of(finding(Rule.DW116, c.ref(), ObjectText.constraint(c.constraint()), null,
                    c.constraint().type().label() + " constraint " + c.ref().qualifiedName() + " is created by the migrations but missing from the database"));
        }

        @Override
        public List<Finding> visit(Change.ModifyConstraint c) {
            return List.of(finding(Rule.DW117, c.ref(), ObjectText.constraint(c.from()),
                    ObjectText.constraint(c.to()), "constraint " + c.ref().qualifiedName() + " differs from the migrations"));
        }

        @Override
        public List<Finding> visit(Change.AddIndex c) {
            return List.of(finding(Rule.DW101, c.ref(), null, ObjectText.index(c.index()),
                    "index " + c.ref().qualifiedName() + " exists in the database but no migration creates it"));
        }

        @Override
        public List<Finding> visit(Change.DropIndex c) {
            return List.of(finding(Rule.DW102, c.ref(), ObjectText.index(c.index()), null,
                    "index " + c.ref().qualifiedName() + " is created by the migrations but missing from the database"));
        }

        @Override
        public List<Finding> visit(Change.ModifyIndex c) {
            return List.of(finding(Rule.DW103, c.ref(), ObjectText.index(c.from()),
                    ObjectText.index(c.to()), c.to().valid() || !c.from().valid()
                            ? "index " + c.ref().qualifiedName() + " differs from the migrations"
                            : "index " + c.ref().qualifiedName() + " is INVALID in the database (a failed CREATE INDEX CONCURRENTLY?)"));
        }

        @Override
        public List<Finding> visit(Change.AddView c) {
            return List.of(finding(Rule.DW118, c.ref(), null, ObjectText.view(c.view()),
                    c.ref().kind().label() + " " + c.ref().qualifiedName() + " exists in the database but no migration creates it"));
        }

        @Override
        public List<Finding> visit(Change.DropView c) {
            return List.of(finding(Rule.DW119, c.ref(), ObjectText.view(c.view()), null,
                    c.ref().kind().label() + " " + c.ref().qualifiedName() + " is created by the migrations but missing from the database"));
        }

        @Override
        public List<Finding> visit(Change.ModifyView c) {
            List<Finding> out = new ArrayList<>();
            if (!java.util.Objects.equals(c.from().definition(), c.to().definition())) {
                out.add(finding(Rule.DW120, c.ref(), ObjectText.view(c.from()), ObjectText.view(c.to()),
                        c.ref().kind().label() + " " + c.ref().qualifiedName() + " has a different definition than the migrations create"));
            }
            if (!c.from().options().equals(c.to().options())) {
                out.add(finding(Rule.DW176, c.ref(), options(c.from().options()), options(c.to().options()),
                        c.ref().kind().label() + " " + c.ref().qualifiedName() + " options are " + options(c.to().options())
                                + " in the database but " + options(c.from().options()) + " in the migrations"));
            }
            return out;
        }

        @Override
        public List<Finding> visit(Change.AddSequence c) {
            return List.of(finding(Rule.DW121, c.ref(), null, ObjectText.sequence(c.sequence()),
                    "sequence " + c.ref().qualifiedName() + " exists in the database but no migration creates it"));
        }

        @Override
        public List<Finding> visit(Change.DropSequence c) {
            return List.of(finding(Rule.DW122, c.ref(), ObjectText.sequence(c.sequence()), null,
                    "sequence " + c.ref().qualifiedName() + " is created by the migrations but missing from the database"));
        }

        @Override
        public List<Finding> visit(Change.ModifySequence c) {
            return List.of(finding(Rule.DW123, c.ref(), ObjectText.sequence(c.from()),
                    ObjectText.sequence(c.to()), "sequence " + c.ref().qualifiedName() + " parameters differ from the migrations"));
        }

        @Override
        public List<Finding> visit(Change.AddEnum c) {
            return List.of(finding(Rule.DW124, c.ref(), null, ObjectText.enumType(c.type()),
                    "enum type " + c.ref().qualifiedName() + " exists in the database but no migration creates it"));
        }

        @Override
        public List<Finding> visit(Change.DropEnum c) {
            return List.of(finding(Rule.DW125, c.ref(), ObjectText.enumType(c.type()), null,
                    "enum type " + c.ref().qualifiedName() + " is created by the migrations but missing from the database"));
        }

        @Override
        public List<Finding> visit(Change.ModifyEnum c) {
            return List.of(finding(Rule.DW126, c.ref(), ObjectText.enumType(c.from()),
                    ObjectText.enumType(c.to()), enumMessage(c.ref().qualifiedName(), c.from().labels(), c.to().labels())));
        }

        @Override
        public List<Finding> visit(Change.AddObject c) {
            ObjectRef r = c.ref();
            return List.of(finding(objectRule(r.kind(), 0), r, null, ObjectText.object(c.object()),
                    r + " exists in the database but no migration " + (r.kind().attached() ? "sets it" : "creates it")));
        }

        @Override
        public List<Finding> visit(Change.DropObject c) {
            ObjectRef r = c.ref();
            return List.of(finding(objectRule(r.kind(), 1), r, ObjectText.object(c.object()), null,
                    r + " is " + (r.kind().attached() ? "set" : "created") + " by the migrations but missing from the database"));
        }

        @Override
        public List<Finding> visit(Change.ModifyObject c) {
            ObjectRef r = c.ref();
            String what = c.changed().size() == 1 && c.changed().get(0).equals("definition") ? "definition"
                    : String.join(", ", c.changed());
            String message;
            if (r.kind() == ObjectKind.OWNER) {
                message = r + " is " + c.to().attr("owner") + " in the database but " + c.from().attr("owner")
                        + " in the migrations";
            } else if (c.changed().equals(List.of("enabled"))) {
                message = r + " is " + describeEnabled(c.to().attr("enabled")) + " in the database but "
                        + describeEnabled(c.from().attr("enabled")) + " in the migrations";
            } else {
                message = r + " differs from the migrations (" + what + ")";
            }
            return List.of(finding(objectRule(r.kind(), 2), r, changedText(c.from(), c.changed()),
                    changedText(c.to(), c.changed()), message));
        }
    }

    private static void modifyColumn(Change.ModifyColumn c, List<Finding> out) {
        ObjectRef ref = c.ref();
        String name = ref.qualifiedName();
        Column from = c.from();
        Column to = c.to();
        for (ChangeKind kind : c.changes().stream().sorted().toList()) {
            switch (kind) {
                case TYPE -> out.add(finding(Rule.DW109, ref, from.type(), to.type(),
                        "column " + name + " is " + to.type() + " in the database but " + from.type() + " in the migrations"));
                case NULLABILITY -> out.add(finding(Rule.DW110, ref, from.notNull() ? "NOT NULL" : "NULL",
                        to.notNull() ? "NOT NULL" : "NULL",
                        "column " + name + (to.notNull() ? " is NOT NULL in the database but nullable in the migrations"
                                : " is nullable in the database but NOT NULL in the migrations")));
                case DEFAULT -> out.add(finding(Rule.DW111, ref, orNone(from.defaultExpr()), orNone(to.defaultExpr()),
                        "column " + name + " default is " + orNone(to.defaultExpr()) + " in the database but "
                                + orNone(from.defaultExpr()) + " in the migrations"));
                case IDENTITY -> out.add(finding(Rule.DW112, ref, identity(from), identity(to),
                        "column " + name + " identity is " + identity(to) + " in the database but "
                                + identity(from) + " in the migrations"));
                case GENERATED -> out.add(finding(Rule.DW113, ref, orNone(from.generatedExpr()), orNone(to.generatedExpr()),
                        "generated column " + name + " expression differs from the migrations"));
                case IDENTITY_OPTIONS -> out.add(finding(Rule.DW177, ref, from.identityOptions(), to.identityOptions(),
                        "identity column " + name + " sequence options differ from the migrations"));
                case COLLATION -> out.add(finding(Rule.DW114, ref, orDefault(from.collation()), orDefault(to.collation()),
                        "column " + name + " collation is " + orDefault(to.collation()) + " in the database but "
                                + orDefault(from.collation()) + " in the migrations"));
            }
        }
    }

    private static String changedText(CatalogObject o, List<String> changed) {
        if (changed.size() == 1) {
            String v = o.attr(changed.get(0));
            return v == null ? "(none)" : v;
        }
        StringBuilder sb = new StringBuilder();
        for (String k : changed) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(k).append(": ").append(o.attr(k) == null ? "(none)" : o.attr(k));
        }
        return sb.toString();
    }

    private static String describeEnabled(String enabled) {
        if (enabled == null) {
            return "(unknown)";
        }
        return switch (enabled) {
            case "O", "origin" -> "enabled";
            case "D", "disabled" -> "DISABLED";
            case "R", "replica" -> "enabled on replicas only (ENABLE REPLICA)";
            case "A", "always" -> "enabled always (ENABLE ALWAYS)";
            default -> enabled;
        };
    }

    private static String rowSecurity(Table t) {
        return (t.rowSecurity() ? "enabled" : "disabled") + (t.forceRowSecurity() ? " and forced" : "");
    }

    private static String options(List<String> options) {
        return options.isEmpty() ? "(none)" : "(" + String.join(", ", options) + ")";
    }

    private static String inherits(Table t) {
        return t.inherits().isEmpty() ? "no parent" : String.join(", ", t.inherits());
    }

    private static String enumMessage(String name, List<String> expected, List<String> actual) {
        List<String> added = actual.stream().filter(l -> !expected.contains(l)).toList();
        List<String> removed = expected.stream().filter(l -> !actual.contains(l)).toList();
        if (!added.isEmpty() && removed.isEmpty()) {
            return "enum type " + name + " has labels no migration adds: " + String.join(", ", added);
        }
        if (added.isEmpty() && !removed.isEmpty()) {
            return "enum type " + name + " lacks labels the migrations add: " + String.join(", ", removed);
        }
        if (added.isEmpty()) {
            return "enum type " + name + " has its labels in a different order than the migrations";
        }
        return "enum type " + name + " labels differ: extra " + String.join(", ", added)
                + "; missing " + String.join(", ", removed);
    }

    private static String identity(Column c) {
        return c.identity() == Column.Identity.NONE ? "none" : c.identity().sql();
    }

    private static String orNone(String s) {
        return s == null ? "(none)" : s;
    }

    private static String orDefault(String s) {
        return s == null ? "(default)" : s;
    }

    private static Finding finding(Rule rule, ObjectRef ref, String expected, String actual, String message) {
        return new Finding(rule, rule.defaultSeverity(), ref, expected, actual, message);
    }

    /** @return true when the finding is about a schema object (DW1xx) rather than history */
    public static boolean isDrift(Finding f) {
        return f.object().kind() != ObjectKind.HISTORY;
    }
}
