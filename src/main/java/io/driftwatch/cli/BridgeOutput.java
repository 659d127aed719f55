package io.driftwatch.cli;

import io.driftwatch.Version;
import io.driftwatch.base.AuditException;
import io.driftwatch.base.AuditListener;
import io.driftwatch.base.ExitCode;
import io.driftwatch.diff.Change;
import io.driftwatch.model.SchemaFilter;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.reconcile.BridgeWriter;
import io.driftwatch.model.OneLine;
import io.driftwatch.plan.Plan;
import io.driftwatch.reconcile.ScriptProof;
import io.driftwatch.plan.Statement;
import io.driftwatch.reconcile.Verifier;
import io.driftwatch.base.AtomicFileWriter;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowOptions;
import io.driftwatch.postgres.shadow.ShadowProviders;
import io.driftwatch.postgres.shadow.ShadowRoles;
import io.driftwatch.dialect.ShadowUnavailableException;
import io.driftwatch.policy.AuditRun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Verifies and writes a bridge file, the same way for {@code bridge}, {@code audit --bridge} and
 * {@code diff --bridge}: verification in a shadow ({@link Verifier}) unless skipped, the file
 * rendered by {@link BridgeWriter}, renamed {@code *.UNVERIFIED.sql} when not verified, Flyway's
 * {@code .conf} sidecar (placeholder replacement off, UTF-8, outside a transaction when needed) in the Flyway
 * format.
 */
final class BridgeOutput {

    /**
     * @param file     the file written
     * @param conf     the {@code .conf} sidecar written, or null
     * @param verified true when verification passed
     * @param details  header detail lines (failure, residual changes)
     */
    record Written(Path file, Path conf, boolean verified, List<String> details) {
    }

    private BridgeOutput() {
    }

    /**
     * Renders the file, proves its bytes in the shadow ({@link Verifier#verifyFile}: Flyway with the user's
     * placeholders, psql twice when installed) unless {@code server} is null, and writes it with its
     * {@code .conf} sidecar ({@link BridgeWriter#flywayConf}: always in the Flyway format). The header of a
     * verified file is written before the proof (it lists the objects commented-out destructive statements leave
     * as they are), so the bytes handed out are the bytes proven. A failed proof re-renders the header (the
     * failure, the residual changes) and writes {@code *.UNVERIFIED.sql}.
     *
     * @param plan         the plan (non-empty)
     * @param from         the starting model (the live schema in an audit)
     * @param to           the model the bridge must reach
     * @param filter       the filter both were read with
     * @param server       a shadow server for verification, or null to skip it ({@code --no-verify})
     * @param purpose      header line saying what moves where (passwords masked)
     * @param file         intended file name, ending in {@code .sql}
     * @param withConf     Flyway format: write the {@code .conf} sidecar next to the file
     * @param placeholders the user's Flyway placeholders (defined for the Flyway proof)
     * @param listener     progress
     * @return what was written
     * @throws AuditException exit 3 when the shadow fails; exit 1 (nothing written) when Flyway or psql would
     *                        execute other statements than the plan's: a Driftwatch defect, reported as such
     * @throws IOException    when the file cannot be written
     */
    static Written verifyAndWrite(Plan plan, SchemaModel from, SchemaModel to, SchemaFilter filter,
                                  ShadowServer server, String purpose, Path file, boolean withConf,
                                  Map<String, String> placeholders, AuditListener listener)
            throws AuditException, IOException {
        BridgeWriter writer = new BridgeWriter();
        Instant now = Instant.now();
        Path psql = server == null ? null : ScriptProof.findPsql(server);
        BridgeWriter.Layout layout = new BridgeWriter.Layout(withConf, psql != null);
        List<String> left = new ArrayList<>();
        if (!plan.options().allowDestructive()) {
            plan.statements().stream().filter(Statement::destructive)
                    .forEach(s -> left.add("left for a destructive statement: " + s.object()));
        }
        BridgeWriter.Verification verification;
        List<String> details = new ArrayList<>();
        BridgeWriter.File rendered;
        if (server == null) {
            System.err.println("warning: --no-verify: the bridge was NOT proven in a shadow database");
            verification = BridgeWriter.Verification.SKIPPED;
            details.addAll(left);
            rendered = writer.file(plan, purpose, Version.get(), now, verification, details, layout);
        } else {
            rendered = writer.file(plan, purpose, Version.get(), now, BridgeWriter.Verification.VERIFIED, left, layout);
            String step = "verifying the bridge in a shadow database (Flyway" + (psql != null ? ", psql" : "") + ")";
            listener.step(step);
            long t = System.nanoTime();
            Verifier.Result r;
            try {
                r = new Verifier(io.driftwatch.postgres.PostgresDialect.INSTANCE).verifyFile(server, from, to, plan, rendered, filter, placeholders, psql);
            } catch (SQLException e) {
                throw new AuditException(ExitCode.UNREACHABLE, "shadow database failed during verification: "
                        + e.getMessage(), e);
            }
            listener.stepDone(step, (System.nanoTime() - t) / 1_000_000);
            if (r.refused()) {
                throw new AuditException(ExitCode.FINDINGS, "the bridge was not written: " + r.failure()
                        + " (a Driftwatch defect: please report it)", null);
            }
            verification = r.verified() ? BridgeWriter.Verification.VERIFIED : BridgeWriter.Verification.FAILED;
            if (r.verified()) {
                details.addAll(left);
            } else {
                details.add(r.failure());
                for (Change c : r.residual()) {
                    details.add("residual: " + c.ref());
                }
                rendered = writer.file(plan, purpose, Version.get(), now, verification, details, layout);
            }
        }
        boolean verified = verification == BridgeWriter.Verification.VERIFIED;
        String name = file.getFileName().toString();
        Path target = verified ? file : file.resolveSibling(
                (name.endsWith(".sql") ? name.substring(0, name.length() - 4) : name) + ".UNVERIFIED.sql");
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        byte[] bytes = rendered.text().getBytes(StandardCharsets.UTF_8);
        AtomicFileWriter.write(target, o -> o.write(bytes));
        Path conf = target.resolveSibling(target.getFileName() + ".conf");
        if (withConf) {
            byte[] c = BridgeWriter.flywayConf(plan).getBytes(StandardCharsets.UTF_8);
            AtomicFileWriter.write(conf, o -> o.write(c));
        } else {
            Files.deleteIfExists(conf);
            conf = null;
        }
        return new Written(target, conf, verified, details);
    }

    /** Prints where the bridge went and whether it is verified; names and messages on one line each ({@link OneLine}). */
    static void print(java.io.PrintStream out, Written w, Plan plan, BridgeWriter.Verification skippedOrNot) {
        String state = w.verified() ? "verified bridge: "
                : skippedOrNot == BridgeWriter.Verification.SKIPPED ? "UNVERIFIED bridge (--no-verify): "
                : "UNVERIFIED bridge (verification failed): ";
        out.println(state + OneLine.of(w.file().toString()) + " (" + plan.statements().size() + " statements"
                + (plan.hazardTypes().isEmpty() ? "" : "; hazards: " + plan.hazardTypes()) + ")");
        if (w.conf() != null) {
            out.println("flyway per-script config: " + OneLine.of(w.conf().toString()) + " (placeholderReplacement=false"
                    + (plan.hasNonTransactional() ? ", executeInTransaction=false" : "") + ")");
        }
        w.details().forEach(d -> out.println("  " + OneLine.of(d)));
    }

    /**
     * Opens a shadow server for verifying a bridge of {@code run}: the command's {@code --shadow}
     * choice, preferring the target's major version. On a server Driftwatch started, the roles the
     * two models name (owners, grantees) are created as NOLOGIN roles so the clone can GRANT to
     * them ({@link ShadowRoles#ensure}; never on a server given by URL).
     *
     * @throws AuditException exit 3 when none can be started, exit 2 for bad shadow options
     */
    static ShadowServer openShadow(AuditInputs inputs, AuditRun run, AuditListener listener) throws AuditException {
        ShadowOptions base = inputs.shadowOptions();
        ShadowOptions options = base.forTarget(run.actual().serverMajor(), inputs.target());
        try {
            ShadowServer server = ShadowProviders.open(options, listener::note);
            try {
                ShadowRoles.ensure(server, ShadowRoles.referencedBy(run.actual(), run.expected()), listener::note);
            } catch (java.sql.SQLException e) {
                server.close();
                throw new AuditException(ExitCode.UNREACHABLE, "creating roles in the shadow on " + server.description()
                        + " failed: " + e.getMessage(), e);
            }
            return server;
        } catch (ShadowUnavailableException e) {
            throw new AuditException(ExitCode.UNREACHABLE, "no shadow database available: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new AuditException(ExitCode.USAGE, e.getMessage(), e);
        }
    }

    /**
     * @param options the audit's options
     * @return the Flyway placeholders the bridge must survive unchanged (none for other tools)
     */
    static java.util.Map<String, String> placeholders(io.driftwatch.audit.AuditOptions options) {
        return options.tool() instanceof io.driftwatch.flyway.FlywayTool f ? f.placeholders() : java.util.Map.of();
    }

}
