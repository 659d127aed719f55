package io.driftwatch.cli;

import io.driftwatch.audit.AuditOptions;
import io.driftwatch.base.AuditListener;
import io.driftwatch.policy.AuditResult;
import io.driftwatch.policy.AuditRun;
import io.driftwatch.reconcile.BridgeWriter;
import io.driftwatch.plan.Plan;
import io.driftwatch.plan.PlanOptions;
import io.driftwatch.postgres.ddl.Planner;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.audit.Auditor;
import io.driftwatch.base.ExitCode;
import io.driftwatch.policy.Severity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code driftwatch audit}: audits a live PostgreSQL database against Flyway migrations and writes
 * {@code report.json} and {@code report.html}. Exit codes as in {@link ExitCode}.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
                "Audit a live PostgreSQL database against its Flyway migrations.",
                "",
                "Replays the migrations that flyway_schema_history says are applied into a throwaway shadow "
                        + "database, compares its schema with the live one, checks the version table against the "
                        + "scripts, and writes report.json and report.html. The audited database is only read "
                        + "(READ ONLY transaction, lock_timeout, statement_timeout)."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  # audit production against the repo's migrations (password from PGPASSWORD)",
                "  driftwatch audit --url postgresql://auditor@db.internal:5432/shop \\",
                "                   --migrations db/migration",
                "",
                "  # take locations, schemas, table and placeholders from Flyway's own config",
                "  driftwatch audit --url jdbc:postgresql://localhost/shop \\",
                "                   --flyway-config flyway.toml",
                "",
                "  # audit against a snapshot taken with driftwatch inspect, and propose a bridge",
                "  driftwatch audit --url postgresql://auditor@db/shop \\",
                "                   --expected snapshot:release-42.json --bridge",
                "",
                "  # take defaults, severity overrides and waivers from a project file",
                "  # (./driftwatch.yaml is read when present; flags override it; docs/config.md)",
                "  driftwatch audit --config ci/driftwatch.yaml --fail-on error",
                "",
                "  # also run the team's SQL rules (rules/*.sql) and the lint pack",
                "  driftwatch audit --url postgresql://auditor@db/shop -m db/migration \\",
                "                   --rules db/rules --lint",
                "",
                "  # CI gate: fail only on errors, JSON only, shadow on a scratch server",
                "  driftwatch audit --url postgresql://ci@staging/shop --migrations sql \\",
                "                   --fail-on error --format json --out build/drift \\",
                "                   --shadow-url postgresql://ci@scratch-pg/postgres",
                "",
                "Exit codes: 0 clean, 1 findings at or above --fail-on,",
                "  2 usage or configuration error, 3 database unreachable or timed out,",
                "  4 migrations failed to replay, 6 reports cannot be written (none is left),",
                "  70 internal error."})
public final class AuditCommand implements Callable<Integer> {

    @Mixin
    AuditInputs inputs;

    @Option(names = "--fail-on", paramLabel = "LEVEL", defaultValue = "warning",
            description = "Exit 1 when a finding is at least this severe: error, warning, info, never. Default: ${DEFAULT-VALUE}.")
    String failOn;

    @Option(names = "--bridge",
            description = "When the schema drifted, also write a verified bridge migration "
                    + "(V<next>__driftwatch_bridge.sql, destructive statements commented out) into --out. "
                    + "See driftwatch bridge for all bridge options.")
    boolean bridge;

    @Mixin
    RulesMixin rules;

    @Mixin
    ReportMixin reports;

    @Mixin
    OutputMixin output;

    @Mixin
    ConfigMixin config;

    @Override
    public Integer call() throws Exception {
        AuditOptions options = inputs.toOptions(parseFailOn(failOn));
        PrintStream err = System.err;
        boolean progress = output.progress();
        if (progress) {
            err.println("driftwatch audit of " + options.target().display());
        }
        ResultPipeline pipeline = ResultPipeline.prepare(rules, config, reports, output, err);
        AuditListener listener = CliSupport.listener(err, progress, output.quiet);
        AuditRun run = new Auditor().runFull(options, listener);
        AuditResult result = pipeline.finish(run, run.result());
        if (bridge) {
            writeBridge(options, run, listener);
        }
        return result.failed() ? ExitCode.FINDINGS.code() : ExitCode.CLEAN.code();
    }

    /**
     * @param text {@code error}, {@code warning}, {@code info} or {@code never}
     * @return the severity, or null for never
     */
    static Severity parseFailOn(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("never")) {
            return null;
        }
        for (Severity s : Severity.values()) {
            if (s.label().equals(t)) {
                return s;
            }
        }
        throw new IllegalArgumentException("--fail-on '" + text + "' is not one of error, warning, info, never");
    }

    /** {@code --bridge}: plan actual → expected with safe defaults, verify, write next to the reports. */
    private void writeBridge(AuditOptions options, AuditRun run, AuditListener listener) throws Exception {
        if (!run.schemaCompared()) {
            if (!output.quiet) {
                System.out.println("bridge: not written: the schema was not compared ("
                        + run.result().expected().notCompared() + ")");
            }
            return;
        }
        Plan plan = options.dialect().plan(run.actual(), run.expected(), PlanOptions.defaults());
        if (plan.isEmpty()) {
            if (!output.quiet) {
                System.out.println("bridge: the live schema matches the migrations; no bridge needed");
            }
            return;
        }
        try (ShadowServer server = BridgeOutput.openShadow(inputs, run, listener)) {
            BridgeOutput.Written w = BridgeOutput.verifyAndWrite(plan, run.actual(), run.expected(), run.filter(),
                    server, "Moves the live schema of " + run.result().target().url()
                            + " to the schema the applied migrations create",
                    reports.out.resolve(options.tool().bridgeFileName(run, null, "driftwatch_bridge")), true,
                    BridgeOutput.placeholders(options), listener);
            if (!output.quiet) {
                BridgeOutput.print(System.out, w, plan, BridgeWriter.Verification.VERIFIED);
            }
        }
    }
}
