package io.driftwatch.reconcile;

import io.driftwatch.plan.Plan;
import io.driftwatch.plan.Statement;
import io.driftwatch.diff.Change;
import io.driftwatch.diff.SchemaDiffer;
import io.driftwatch.model.SchemaFilter;
import io.driftwatch.dialect.CatalogReader;
import io.driftwatch.dialect.Dialect;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Proves a bridge before it is handed out, in a shadow database, never on the target:
 * <ol>
 *   <li>clone the live schema: apply {@code plan(empty, actual)} to a fresh database and check
 *       that reading it back gives {@code actual} again;</li>
 *   <li>apply the bridge; diff against {@code expected}: zero changes, except the differences
 *       whose only fix is a destructive statement the plan leaves commented out;</li>
 *   <li>apply the bridge a second time: it must succeed and leave the same result.</li>
 * </ol>
 */
public final class Verifier {

    private final SchemaDiffer differ = new SchemaDiffer();
    private final Dialect dialect;

    /** @param dialect the database engine: its planner clones the live schema, its reader reads back */
    public Verifier(Dialect dialect) {
        this.dialect = dialect;
    }

    /**
     * Outcome of a verification.
     *
     * @param verified true when every step passed
     * @param failure  one line saying which step failed, null when verified
     * @param residual changes still separating the bridged clone from {@code expected}
     *                 (only skipped destructive ones when verified)
     */
    public record Result(boolean verified, String failure, List<Change> residual) {
        public Result {
            residual = List.copyOf(residual);
        }
    }

    /**
     * @param server   a server Driftwatch may write to (a shadow)
     * @param actual   the live model
     * @param expected the model the bridge must reach
     * @param bridge   the plan to prove
     * @param filter   the filter both models were read with
     * @return the outcome; never throws for a failing step, only reports it
     * @throws SQLException when the shadow server itself cannot be used
     */
    public Result verify(ShadowServer server, SchemaModel actual, SchemaModel expected, Plan bridge,
                         SchemaFilter filter) throws SQLException {
        CatalogReader reader = dialect.reader(null, null);
        try (ShadowDatabase clone = server.createDatabase("dw_verify")) {
            try (Connection c = clone.connect()) {
                try {
                    PlanExecutor.createSchema(dialect, c, actual);
                } catch (PlanExecutor.StatementFailedException e) {
                    return new Result(false, "could not clone the live schema into the shadow: " + e.getMessage(),
                            List.of());
                }
                List<Change> cloneResidual = differ.diff(actual, reader.read(c, filter));
                if (!cloneResidual.isEmpty()) {
                    return new Result(false, "the shadow clone differs from the live schema in "
                            + cloneResidual.size() + " place(s), e.g. " + cloneResidual.get(0).ref(), cloneResidual);
                }
                Set<ObjectRef> skipped = skippedDestructive(bridge);
                for (int run = 1; run <= 2; run++) {
                    try {
                        PlanExecutor.apply(c, bridge, bridge.options().allowDestructive());
                    } catch (PlanExecutor.StatementFailedException e) {
                        return new Result(false, (run == 1 ? "applying the bridge failed: " : "applying the bridge "
                                + "a second time failed (not idempotent): ") + e.getMessage(), List.of());
                    }
                    List<Change> residual = differ.diff(reader.read(c, filter), expected);
                    List<Change> unexplained = new ArrayList<>();
                    for (Change ch : residual) {
                        if (!skipped.contains(ch.ref())) {
                            unexplained.add(ch);
                        }
                    }
                    if (!unexplained.isEmpty()) {
                        return new Result(false, "after " + (run == 1 ? "applying" : "re-applying")
                                + " the bridge " + unexplained.size() + " difference(s) remain, e.g. "
                                + unexplained.get(0).ref(), residual);
                    }
                    if (run == 2) {
                        return new Result(true, null, residual);
                    }
                }
                throw new IllegalStateException("unreachable");
            }
        }
    }

    private static Set<ObjectRef> skippedDestructive(Plan plan) {
        Set<ObjectRef> out = new HashSet<>();
        if (!plan.options().allowDestructive()) {
            for (Statement s : plan.statements()) {
                if (s.destructive()) {
                    out.add(s.object());
                }
            }
        }
        return out;
    }
}
