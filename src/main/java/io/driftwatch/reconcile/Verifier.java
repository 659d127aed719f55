package io.driftwatch.reconcile;

import io.driftwatch.plan.Plan;
import io.driftwatch.plan.Statement;
import io.driftwatch.diff.Change;
import io.driftwatch.diff.SchemaDiffer;
import io.driftwatch.model.SchemaFilter;
import io.driftwatch.dialect.Dialect;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Proves a bridge before it is handed out, in a shadow database, never on the target, by running <em>the file</em>
 * the way users run it (the proof is about the bytes handed out, not only about the plan):
 * <ol>
 *   <li>clone the live schema: apply {@code plan(empty, actual)} to a fresh database and check
 *       that reading it back gives {@code actual} again;</li>
 *   <li>on a second such clone, run the file with real Flyway ({@link ScriptProof#flyway}: the user's placeholders
 *       defined, replacement on globally, the file's {@code .conf} from {@link BridgeWriter#flywayConf}); the
 *       statements Flyway sent must be exactly the plan's running statements, in order ({@link ScriptProof#compare});
 *       diff against {@code expected}: zero changes, except the differences whose only fix is a destructive
 *       statement the plan leaves commented out;</li>
 *   <li>on the first clone, run the file with {@code psql -X -v ON_ERROR_STOP=1 -f} twice when psql is installed
 *       ({@link ScriptProof#psql}; psql's {@code -L} log must show exactly the plan's statements, in order), each
 *       run followed by the same diff; without psql, Flyway runs the file a second time on the second clone.</li>
 * </ol>
 * A run whose executed statements differ from the plan makes the result {@link Result#refused() refused}: such a
 * file must not be written at all.
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
     * @param refused  true when Flyway or psql executed other statements than the plan's (or in another order):
     *                 the file must not be handed out, verified or not
     */
    public record Result(boolean verified, String failure, List<Change> residual, boolean refused) {
        public Result {
            residual = List.copyOf(residual);
        }

        /** A result that is not refused. */
        public Result(boolean verified, String failure, List<Change> residual) {
            this(verified, failure, residual, false);
        }
    }

    /**
     * Renders the plan as {@link BridgeWriter} writes a verified Flyway-format bridge and proves that file
     * ({@link #verifyFile}, no placeholders).
     *
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
        Path psql = ScriptProof.findPsql(server);
        BridgeWriter.File file = new BridgeWriter().file(bridge, "Bridge", "test", java.time.Instant.EPOCH,
                BridgeWriter.Verification.VERIFIED, List.of(), new BridgeWriter.Layout(true, psql != null));
        return verifyFile(server, actual, expected, bridge, file, filter, Map.of(), psql);
    }

    /**
     * @param server       a server Driftwatch may write to (a shadow)
     * @param actual       the live model
     * @param expected     the model the bridge must reach
     * @param bridge       the plan the file was rendered from
     * @param file         the file exactly as it will be handed out
     * @param filter       the filter both models were read with
     * @param placeholders the user's Flyway placeholders, defined for the Flyway run
     * @param psql         psql to run the file with ({@link ScriptProof#findPsql}), or null: Flyway runs it twice
     * @return the outcome; never throws for a failing step, only reports it
     * @throws SQLException when the shadow server itself cannot be used
     */
    public Result verifyFile(ShadowServer server, SchemaModel actual, SchemaModel expected, Plan bridge,
                             BridgeWriter.File file, SchemaFilter filter, Map<String, String> placeholders, Path psql)
            throws SQLException {
        List<ScriptProof.Expected> planned = new ArrayList<>();
        file.live().forEach(l -> planned.add(new ScriptProof.Expected(l.lead(), l.sql())));
        Set<ObjectRef> skipped = skippedDestructive(bridge);
        Path folder = null;
        try {
            folder = Files.createTempDirectory("driftwatch-bridge-proof-");
            Path script = folder.resolve("V1__driftwatch_bridge.sql");
            Files.writeString(script, file.text(), StandardCharsets.UTF_8);
            Files.writeString(folder.resolve("V1__driftwatch_bridge.sql.conf"), BridgeWriter.flywayConf(bridge),
                    StandardCharsets.UTF_8);
            try (ShadowDatabase first = server.createDatabase("dw_verify");
                 ShadowDatabase second = server.createDatabase("dw_verify")) {
                Result cloned = cloneInto(first, actual, filter);
                if (cloned == null) {
                    cloned = cloneInto(second, actual, filter);
                }
                if (cloned != null) {
                    return cloned;
                }
                int flywayRuns = psql == null ? 2 : 1;
                Result last = null;
                for (int run = 1; run <= flywayRuns; run++) {
                    String what = "Flyway" + (flywayRuns > 1 ? " (run " + run + ")" : "");
                    ScriptProof.FlywayRun fr = ScriptProof.flyway(second, folder, placeholders);
                    String mismatch = ScriptProof.compare(fr.executed(), planned, what, fr.error() == null);
                    if (mismatch != null) {
                        return new Result(false, "the file is not what was planned: " + mismatch, List.of(), true);
                    }
                    if (fr.error() != null) {
                        return new Result(false, "running the bridge with " + what + " failed: " + fr.error(),
                                List.of());
                    }
                    last = residual(second, expected, filter, skipped, "running it with " + what);
                    if (!last.verified()) {
                        return last;
                    }
                }
                if (psql != null) {
                    for (int run = 1; run <= 2; run++) {
                        ScriptProof.PsqlRun pr;
                        try {
                            pr = ScriptProof.psql(psql, server, first.name(), script);
                        } catch (IOException e) {
                            return new Result(false, "running the bridge with psql failed: " + e.getMessage(), List.of());
                        }
                        String mismatch = ScriptProof.compareLog(pr.log(), planned, pr.exitCode() == 0);
                        if (mismatch != null) {
                            return new Result(false, "the file is not what was planned: " + mismatch, List.of(), true);
                        }
                        if (pr.exitCode() != 0) {
                            return new Result(false, "running the bridge with psql" + (run == 2 ? " a second time (not "
                                    + "idempotent)" : "") + " failed (exit " + pr.exitCode() + "): "
                                    + (pr.error() != null ? pr.error() : ScriptProof.excerpt(pr.output())), List.of());
                        }
                        last = residual(first, expected, filter, skipped, (run == 1 ? "running it with psql"
                                : "running it with psql a second time"));
                        if (!last.verified()) {
                            return last;
                        }
                    }
                }
                return last;
            }
        } catch (IOException e) {
            return new Result(false, "cannot stage the bridge for its proof: " + e.getMessage(), List.of());
        } finally {
            deleteQuietly(folder);
        }
    }

    /** @return null when {@code actual} was cloned into {@code db} exactly, else the failed result */
    private Result cloneInto(ShadowDatabase db, SchemaModel actual, SchemaFilter filter) throws SQLException {
        try (Connection c = db.connect()) {
            try {
                PlanExecutor.createSchema(dialect, c, actual);
            } catch (PlanExecutor.StatementFailedException e) {
                return new Result(false, "could not clone the live schema into the shadow: " + e.getMessage(),
                        List.of());
            }
            List<Change> cloneResidual = differ.diff(actual, dialect.reader(null, null).read(c, filter));
            if (!cloneResidual.isEmpty()) {
                return new Result(false, "the shadow clone differs from the live schema in "
                        + cloneResidual.size() + " place(s), e.g. " + cloneResidual.get(0).ref(), cloneResidual);
            }
            return null;
        }
    }

    /** @return verified when every difference left to {@code expected} is one a commented-out statement explains */
    private Result residual(ShadowDatabase db, SchemaModel expected, SchemaFilter filter, Set<ObjectRef> skipped,
                            String after) throws SQLException {
        List<Change> residual;
        try (Connection c = db.connect()) {
            residual = differ.diff(dialect.reader(null, null).read(c, filter), expected);
        }
        List<Change> unexplained = new ArrayList<>();
        for (Change ch : residual) {
            if (!skipped.contains(ch.ref())) {
                unexplained.add(ch);
            }
        }
        if (!unexplained.isEmpty()) {
            return new Result(false, "after " + after + " " + unexplained.size() + " difference(s) remain, e.g. "
                    + unexplained.get(0).ref(), residual);
        }
        return new Result(true, null, residual);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a temp folder left behind is harmless
                }
            });
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // best effort
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
