package io.driftwatch.cli;

import io.driftwatch.Version;
import io.driftwatch.audit.AuditException;
import io.driftwatch.audit.AuditListener;
import io.driftwatch.audit.ExitCode;
import io.driftwatch.diff.Change;
import io.driftwatch.introspect.SchemaFilter;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.reconcile.BridgeWriter;
import io.driftwatch.reconcile.Plan;
import io.driftwatch.reconcile.Verifier;
import io.driftwatch.report.AtomicFileWriter;
import io.driftwatch.shadow.PostgresServer;
import io.driftwatch.shadow.ShadowOptions;
import io.driftwatch.shadow.ShadowProviders;
import io.driftwatch.shadow.ShadowRoles;
import io.driftwatch.shadow.ShadowUnavailableException;
import io.driftwatch.audit.AuditRun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies and writes a bridge file, the same way for {@code bridge}, {@code audit --bridge} and
 * {@code diff --bridge}: verification in a shadow ({@link Verifier}) unless skipped, the file
 * rendered by {@link BridgeWriter}, renamed {@code *.UNVERIFIED.sql} when not verified, Flyway's
 * {@code .conf} sidecar when a statement cannot run in a transaction.
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
     * @param plan      the plan (non-empty)
     * @param from      the starting model (the live schema in an audit)
     * @param to        the model the bridge must reach
     * @param filter    the filter both were read with
     * @param server    a shadow server for verification, or null to skip it ({@code --no-verify})
     * @param purpose   header line saying what moves where (passwords masked)
     * @param file      intended file name, ending in {@code .sql}
     * @param withConf  write Flyway's {@code .conf} sidecar when needed
     * @param listener  progress
     * @return what was written
     * @throws AuditException exit 3 when the shadow fails
     * @throws IOException    when the file cannot be written
     */
    static Written verifyAndWrite(Plan plan, SchemaModel from, SchemaModel to, SchemaFilter filter,
                                  PostgresServer server, String purpose, Path file, boolean withConf,
                                  AuditListener listener) throws AuditException, IOException {
        BridgeWriter.Verification verification;
        List<String> details = new ArrayList<>();
        if (server == null) {
            System.err.println("warning: --no-verify: the bridge was NOT proven in a shadow database");
            verification = BridgeWriter.Verification.SKIPPED;
        } else {
            listener.step("verifying the bridge in a shadow database");
            long t = System.nanoTime();
            Verifier.Result r;
            try {
                r = new Verifier().verify(server, from, to, plan, filter);
            } catch (SQLException e) {
                throw new AuditException(ExitCode.UNREACHABLE, "shadow database failed during verification: "
                        + e.getMessage(), e);
            }
            listener.stepDone("verifying the bridge in a shadow database", (System.nanoTime() - t) / 1_000_000);
            verification = r.verified() ? BridgeWriter.Verification.VERIFIED : BridgeWriter.Verification.FAILED;
            if (!r.verified()) {
                details.add(r.failure());
            }
            for (Change c : r.residual()) {
                details.add((r.verified() ? "left for a destructive statement: " : "residual: ") + c.ref());
            }
        }
        boolean verified = verification == BridgeWriter.Verification.VERIFIED;
        String name = file.getFileName().toString();
        Path target = verified ? file : file.resolveSibling(
                (name.endsWith(".sql") ? name.substring(0, name.length() - 4) : name) + ".UNVERIFIED.sql");
        String sql = new BridgeWriter().render(plan, purpose, Version.get(), Instant.now(), verification, details);
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        byte[] bytes = sql.getBytes(StandardCharsets.UTF_8);
        AtomicFileWriter.write(target, o -> o.write(bytes));
        Path conf = target.resolveSibling(target.getFileName() + ".conf");
        if (withConf && plan.hasNonTransactional()) {
            byte[] c = BridgeWriter.flywayConf().getBytes(StandardCharsets.UTF_8);
            AtomicFileWriter.write(conf, o -> o.write(c));
        } else {
            Files.deleteIfExists(conf);
            conf = null;
        }
        return new Written(target, conf, verified, details);
    }

    /** Prints where the bridge went and whether it is verified. */
    static void print(java.io.PrintStream out, Written w, Plan plan, BridgeWriter.Verification skippedOrNot) {
        String state = w.verified() ? "verified bridge: "
                : skippedOrNot == BridgeWriter.Verification.SKIPPED ? "UNVERIFIED bridge (--no-verify): "
                : "UNVERIFIED bridge (verification failed): ";
        out.println(state + w.file() + " (" + plan.statements().size() + " statements"
                + (plan.hazardTypes().isEmpty() ? "" : "; hazards: " + plan.hazardTypes()) + ")");
        if (w.conf() != null) {
            out.println("flyway per-script config: " + w.conf() + " (executeInTransaction=false)");
        }
        w.details().forEach(d -> out.println("  " + d));
    }

    /**
     * Opens a shadow server for verifying a bridge of {@code run}: the command's {@code --shadow}
     * choice, preferring the target's major version. On a server Driftwatch started, the roles the
     * two models name (owners, grantees) are created as NOLOGIN roles so the clone can GRANT to
     * them ({@link ShadowRoles#ensure}; never on a server given by URL).
     *
     * @throws AuditException exit 3 when none can be started, exit 2 for bad shadow options
     */
    static PostgresServer openShadow(AuditInputs inputs, AuditRun run, AuditListener listener) throws AuditException {
        ShadowOptions base = inputs.shadowOptions();
        ShadowOptions options = base.forTarget(run.actual().serverMajor(), inputs.target());
        try {
            PostgresServer server = ShadowProviders.open(options, listener::note);
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
     * @param run         the audit
     * @param version     {@code --version}, or null for the next free version
     * @param description Flyway description part
     * @return {@code V<version>__<description>.sql}
     */
    static String flywayName(AuditRun run, String version, String description) {
        List<String> applied = run.history().statuses().stream().map(s -> s.version()).filter(v -> v != null).toList();
        String v = version != null ? version : BridgeWriter.nextVersion(run.scripts(), applied);
        return "V" + v + "__" + description + ".sql";
    }
}
