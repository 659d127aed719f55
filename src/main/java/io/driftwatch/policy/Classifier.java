package io.driftwatch.policy;

import io.driftwatch.diff.Change;
import io.driftwatch.diff.ChangeKind;
import io.driftwatch.diff.HistoryFinding;
import io.driftwatch.model.Column;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;

import java.util.ArrayList;
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
        DriftRules rules = new DriftRules();
        for (Change c : changes) {
            out.addAll(c.accept(rules));
        }
        return out;
    }

    /**
     * @param findings history disagreements from {@code HistoryChecker}
     * @return one finding per history finding
     */
    public List<Finding> history(List<HistoryFinding> findings) {
        List<Finding> out = new ArrayList<>(findings.size());
        for (HistoryFinding h : findings) {
            Rule rule = switch (h.kind()) {
                case CHECKSUM_MISMATCH -> Rule.DW201;
                case MISSING -> Rule.DW202;
                case PENDING -> Rule.DW203;
                case FAILED -> Rule.DW204;
                case IGNORED -> Rule.DW205;
                case OUT_OF_ORDER -> Rule.DW206;
                case FUTURE -> Rule.DW207;
                case OUTDATED -> Rule.DW208;
                case BASELINE -> Rule.DW209;
                case CANNOT_REPLAY -> Rule.DW210;
                case INVALID_ROW -> Rule.DW211;
            };
            out.add(finding(rule, h.ref(), h.expected(), h.actual(), h.message()));
        }
        return out;
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
            return List.of(finding(Rule.DW106, c.ref(), ObjectText.partitioning(c.from()),
                    ObjectText.partitioning(c.to()), "table " + c.ref().qualifiedName() + " is partitioned differently than the migrations say"));
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
            return List.of(finding(Rule.DW120, c.ref(), ObjectText.view(c.from()), ObjectText.view(c.to()),
                    c.ref().kind().label() + " " + c.ref().qualifiedName() + " has a different definition than the migrations create"));
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
                case COLLATION -> out.add(finding(Rule.DW114, ref, orDefault(from.collation()), orDefault(to.collation()),
                        "column " + name + " collation is " + orDefault(to.collation()) + " in the database but "
                                + orDefault(from.collation()) + " in the migrations"));
            }
        }
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
