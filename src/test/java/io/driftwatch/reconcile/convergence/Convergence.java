package io.driftwatch.reconcile.convergence;

import io.driftwatch.diff.Change;
import io.driftwatch.diff.SchemaDiffer;
import io.driftwatch.model.SchemaFilter;
import io.driftwatch.postgres.PostgresCatalogReader;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.plan.Plan;
import io.driftwatch.reconcile.PlanExecutor;
import io.driftwatch.plan.PlanOptions;
import io.driftwatch.plan.Statement;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The convergence check shared by the fixture suite and the random pairs: plan A → B, apply to A,
 * re-read, expect no difference; apply again, still none; re-plan, nothing to do; and the
 * statements marked destructive match what the diff loses (see {@link Destructiveness}).
 */
public final class Convergence {

    /** The planner under test, as a function (keeps this helper independent of its class). */
    @FunctionalInterface
    public interface PlanFunction {
        Plan plan(SchemaModel from, SchemaModel to, PlanOptions options);
    }

    private static final PostgresCatalogReader READER = new PostgresCatalogReader();
    private static final SchemaDiffer DIFFER = new SchemaDiffer();

    private Convergence() {
    }

    /**
     * @param connection where to run the script
     * @param ddl        a whole script of plain DDL (one JDBC execute; pgJDBC splits it)
     * @param what       names the script in the error
     */
    public static void load(Connection connection, String ddl, String what) {
        try (java.sql.Statement s = connection.createStatement()) {
            s.execute(ddl);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot load " + what + ": " + e.getMessage() + "\n" + ddl, e);
        }
    }

    /**
     * Runs the whole check; throws an {@link AssertionError} with the residual changes and the plan
     * SQL when something does not converge.
     *
     * @param label     case name or seed, first in every failure message
     * @param planner   the planner
     * @param a         connection to database A (holds the start schema; it is changed)
     * @param b         connection to database B (holds the target schema; only read)
     * @param filter    what to read on both
     * @param mustBeEmpty true when a and b are identical: the plan must be empty
     * @param context   extra text for failure messages (e.g. the DDL of a random pair), may be empty
     */
    public static void check(String label, PlanFunction planner, Connection a, Connection b,
                             SchemaFilter filter, boolean mustBeEmpty, String context) throws SQLException {
        SchemaModel modelA = READER.read(a, filter);
        SchemaModel modelB = READER.read(b, filter);
        List<Change> before = DIFFER.diff(modelA, modelB);

        Plan plan = planner.plan(modelA, modelB, new PlanOptions(true, true));
        if (mustBeEmpty) {
            assertTrue(plan.isEmpty(), label + ": identical schemas must give an empty plan\n" + planText(plan));
        }
        if (!before.isEmpty()) {
            assertTrue(!plan.isEmpty(), label + ": the schemas differ but the plan is empty\n" + changesText(before)
                    + context);
        }

        Plan safe = planner.plan(modelA, modelB, new PlanOptions(true, false));
        List<String> wrong = Destructiveness.of(before, modelA).mismatches(safe);
        assertEquals(List.of(), wrong, label + ": destructive marking\n" + changesText(before)
                + planText(safe) + context);

        apply(label, a, plan, "first apply", before, context);
        SchemaModel after = READER.read(a, filter);
        List<Change> residual = DIFFER.diff(after, modelB);
        if (!residual.isEmpty()) {
            fail(label + ": did not converge; residual changes A' -> B:\n" + changesText(residual)
                    + "initial changes:\n" + changesText(before) + planText(plan) + context);
        }

        apply(label, a, plan, "second apply (idempotence)", before, context);
        SchemaModel again = READER.read(a, filter);
        List<Change> residual2 = DIFFER.diff(again, modelB);
        if (!residual2.isEmpty()) {
            fail(label + ": applying the plan twice changed the schema; residual changes:\n"
                    + changesText(residual2) + planText(plan) + context);
        }

        Plan replan = planner.plan(again, modelB, new PlanOptions(true, true));
        assertTrue(replan.isEmpty(), label + ": converged schema still gets a non-empty plan\n"
                + planText(replan) + context);
    }

    private static void apply(String label, Connection a, Plan plan, String step, List<Change> before,
                              String context) {
        try {
            PlanExecutor.apply(a, plan, true);
        } catch (PlanExecutor.StatementFailedException e) {
            Statement s = e.statement();
            fail(label + ": " + step + " failed: " + e.getMessage()
                    + "\nstatement: " + (s == null ? "(none)" : s.sql())
                    + "\nchanges:\n" + changesText(before) + planText(plan) + context, e);
        }
    }

    /**
     * @param changes changes
     * @return one line per change: type, object, and what differs
     */
    public static String changesText(List<Change> changes) {
        StringBuilder sb = new StringBuilder();
        for (Change c : changes) {
            sb.append("  ").append(describe(c)).append('\n');
        }
        return sb.toString();
    }

    /**
     * @param c a change
     * @return e.g. {@code ModifyColumn column public.t.a [TYPE]: integer -> bigint}
     */
    public static String describe(Change c) {
        String head = c.getClass().getSimpleName() + " " + c.ref();
        if (c instanceof Change.ModifyColumn m) {
            return head + " " + m.changes() + ": " + m.from() + " -> " + m.to();
        }
        if (c instanceof Change.ModifyConstraint m) {
            return head + ": " + m.from().definition() + " -> " + m.to().definition();
        }
        if (c instanceof Change.ModifyIndex m) {
            return head + ": " + m.from().definition() + (m.from().valid() ? "" : " (invalid)") + " -> "
                    + m.to().definition() + (m.to().valid() ? "" : " (invalid)");
        }
        if (c instanceof Change.ModifyView m) {
            return head + ": [" + m.from().definition() + "] -> [" + m.to().definition() + "]";
        }
        if (c instanceof Change.ModifySequence m) {
            return head + ": " + m.from() + " -> " + m.to();
        }
        if (c instanceof Change.ModifyEnum m) {
            return head + ": " + m.from().labels() + " -> " + m.to().labels();
        }
        if (c instanceof Change.ModifyTable m) {
            return head + ": " + tableShape(m.from()) + " -> " + tableShape(m.to());
        }
        if (c instanceof Change.AddColumn m) {
            return head + ": " + m.column();
        }
        if (c instanceof Change.AddConstraint m) {
            return head + ": " + m.constraint().definition();
        }
        if (c instanceof Change.AddIndex m) {
            return head + ": " + m.index().definition();
        }
        return head;
    }

    private static String tableShape(io.driftwatch.model.Table t) {
        return "partitioned=" + t.partitioned() + " key=" + t.partitionKey() + " of=" + t.partitionOf()
                + " bound=" + t.partitionBound();
    }

    /**
     * @param plan a plan
     * @return its statements numbered, with flags and why
     */
    public static String planText(Plan plan) {
        StringBuilder sb = new StringBuilder("plan (" + plan.statements().size() + " statements):\n");
        int i = 1;
        for (Statement s : plan.statements()) {
            sb.append(String.format("  %2d.%s%s %s%n      -- %s [%s]%n", i++,
                    s.destructive() ? " [destructive]" : "", s.transactional() ? "" : " [non-tx]",
                    s.sql(), s.why(), s.object()));
        }
        return sb.toString();
    }
}
