package io.driftwatch.cli;

import io.driftwatch.base.AuditException;
import io.driftwatch.policy.AuditRun;
import io.driftwatch.audit.AuditOptions;
import io.driftwatch.audit.Auditor;
import io.driftwatch.base.ExitCode;
import io.driftwatch.reconcile.BridgeWriter;
import io.driftwatch.plan.Plan;
import io.driftwatch.plan.PlanOptions;
import io.driftwatch.postgres.ddl.Planner;
import io.driftwatch.reconcile.Verifier;
import io.driftwatch.dialect.ShadowServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code driftwatch bridge}: audits, then writes the idempotent SQL that moves the live schema to
 * the one the applied migrations create, proven in a shadow database first ({@link Verifier}).
 */
@Command(name = "bridge", sortOptions = false, usageHelpAutoWidth = true,
        description = {
                "Write a verified, idempotent bridge migration that moves the live schema to the migrations' schema.",
                "",
                "Audits like `driftwatch audit`, plans the changes (dependency-ordered, each safe to run twice, "
                        + "with hazards), clones the live schema into a shadow database, applies the bridge there "
                        + "twice and re-diffs to zero. Nothing is written to the audited database."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  driftwatch bridge --url postgresql://auditor@db:5432/shop -m db/migration",
                "  driftwatch bridge --url ... -m db/migration --format plain --out bridge.sql",
                "  driftwatch bridge --url ... -m db/migration --allow-destructive --no-concurrently",
                "",
                "Exit codes: 0 verified bridge written (or nothing to do), 1 verification failed",
                "  (written as *.UNVERIFIED.sql) or version table rows leave what is applied unknown,",
                "  2 usage, 3 unreachable, 4 replay failed, 6 the bridge cannot be written."})
public final class BridgeCommand implements Callable<Integer> {

    @Mixin
    AuditInputs inputs;

    @Option(names = {"--out", "-o"}, paramLabel = "PATH", defaultValue = ".",
            description = "Folder for the Flyway-named file, or a file name with --format plain. Default: the current folder.")
    Path out;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "flyway",
            description = "flyway: V<next>__driftwatch_bridge.sql (+ .conf when needed); plain: one SQL file. Default: ${DEFAULT-VALUE}.")
    String format;

    /** Declared by hand: the standard help mixin would also claim {@code --version}, which here names the bridge's Flyway version. */
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--version", paramLabel = "VERSION",
            description = "Flyway version of the bridge. Default: the next free version after every script and history row.")
    String version;

    @Option(names = "--description", paramLabel = "TEXT", defaultValue = "driftwatch_bridge",
            description = "Flyway description part of the file name. Default: ${DEFAULT-VALUE}.")
    String description;

    @Option(names = "--allow-destructive",
            description = "Include statements that drop tables, columns, sequences or data (else commented out).")
    boolean allowDestructive;

    @Option(names = "--no-concurrently",
            description = "Build and drop indexes without CONCURRENTLY, so the whole bridge can run in one transaction.")
    boolean noConcurrently;

    @Option(names = "--no-verify", description = "Skip the shadow verification (not recommended; says so loudly).")
    boolean noVerify;

    @Mixin
    OutputMixin output;

    @Override
    public Integer call() throws Exception {
        String fmt = format.toLowerCase(Locale.ROOT);
        if (!fmt.equals("flyway") && !fmt.equals("plain")) {
            throw new AuditException(ExitCode.USAGE, "--format '" + format + "' is not one of flyway, plain", null);
        }
        if (!description.matches("[A-Za-z0-9_]+")) {
            throw new AuditException(ExitCode.USAGE, "--description '" + description
                    + "' may hold only letters, digits and underscores (it becomes part of a file name)", null);
        }
        var listener = CliSupport.listener(System.err, output.progress(), output.quiet);
        AuditOptions options = inputs.toOptions(null);
        AuditRun run = new Auditor().runFull(options, listener);
        if (!run.schemaCompared()) {
            throw new AuditException(ExitCode.FINDINGS, "no bridge: " + run.result().expected().notCompared()
                    + "; correct those rows first (see the history findings of driftwatch audit)", null);
        }
        PlanOptions planOptions = new PlanOptions(!noConcurrently, allowDestructive);
        Plan plan = options.dialect().plan(run.actual(), run.expected(), planOptions);
        if (plan.isEmpty()) {
            if (!output.quiet) {
                System.out.println("the live schema matches the migrations; no bridge needed");
            }
            return ExitCode.CLEAN.code();
        }

        try (ShadowServer server = noVerify ? null : BridgeOutput.openShadow(inputs, run, listener)) {
            BridgeOutput.Written w = BridgeOutput.verifyAndWrite(plan, run.actual(), run.expected(), run.filter(),
                    server, "Moves the live schema of " + run.result().target().url()
                            + " to the schema the applied migrations create",
                    target(options, run), fmt.equals("flyway"), BridgeOutput.placeholders(options), listener);
            if (!output.quiet) {
                BridgeOutput.print(System.out, w, plan, noVerify ? BridgeWriter.Verification.SKIPPED
                        : BridgeWriter.Verification.VERIFIED);
            }
            return w.verified() ? ExitCode.CLEAN.code() : ExitCode.FINDINGS.code();
        }
    }

    private Path target(AuditOptions options, AuditRun run) {
        if (format.equalsIgnoreCase("plain")) {
            return Files.isDirectory(out) ? out.resolve("bridge.sql") : out;
        }
        return out.resolve(options.tool().bridgeFileName(run, version, description));
    }
}
