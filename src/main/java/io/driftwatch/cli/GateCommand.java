package io.driftwatch.cli;

import io.driftwatch.base.AuditListener;
import io.driftwatch.audit.AuditOptions;
import io.driftwatch.policy.AuditResult;
import io.driftwatch.base.ExitCode;
import io.driftwatch.gate.Gate;
import io.driftwatch.postgres.gate.MigrationHazards;
import io.driftwatch.postgres.gate.PostgresGateChecks;
import io.driftwatch.postgres.gate.ProbeSettings;
import io.driftwatch.postgres.gate.RelationSizes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code driftwatch gate}: the pre-deploy step. Waits for the database, refuses while another
 * migration runs, audits, rehearses the pending migrations in a shadow clone of production, reports
 * their hazards at production's sizes and probes production's data (read-only) for rows that would
 * make them fail. Exit codes as in {@link ExitCode}; see {@link Gate} for the steps.
 */
@Command(name = "gate", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
                "Pre-deploy gate: will the pending migrations succeed on production, and what will they do to it?",
                "",
                "Waits for the database (--wait), stops when another migration is running, audits drift and "
                        + "history as driftwatch audit does, then rehearses the pending migrations with Flyway in a "
                        + "shadow clone of the live schema and version table, reports per migration whether it "
                        + "applies (and which drift breaks it when it does not), the locks, rewrites and index "
                        + "builds it causes at production's real table sizes, and probes production's data for "
                        + "NULLs, duplicates, orphans, CHECK violations and casts that would make it fail. "
                        + "Production is only read (READ ONLY transactions with lock_timeout and statement_timeout)."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  # the deploy step: wait up to 2 minutes for the database, then gate",
                "  driftwatch gate --url postgresql://deployer@db.internal:5432/shop \\",
                "                  --migrations db/migration --wait 2m --out build/gate",
                "  flyway migrate   # only runs when the gate exited 0",
                "",
                "  # stricter: fail on hazards (locks, rewrites on large tables) too",
                "  driftwatch gate --url postgresql://deployer@db/shop --flyway-config flyway.toml \\",
                "                  --fail-on warning --large-table-rows 50000",
                "",
                "  # with the team's SQL rules and the lint pack (findings at error fail the gate)",
                "  driftwatch gate --url postgresql://deployer@db/shop -m sql --rules db/rules --lint",
                "",
                "  # no data probes (e.g. the role may not read the tables: accept that risk explicitly)",
                "  driftwatch gate --url postgresql://deployer@db/shop -m sql --no-data-probes",
                "",
                "  # defaults, severity overrides and waivers from a project file (a 'gate:'",
                "  # section holds gate-only keys; flags override the file; docs/config.md)",
                "  driftwatch gate --config ci/driftwatch.yaml --wait 2m",
                "",
                "Exit codes: 0 the deploy may go ahead, 1 findings at or above --fail-on",
                "  (a pending migration fails, live data blocks it, drift/history errors),",
                "  2 usage or configuration error, 3 database not ready within --wait or unreachable,",
                "  4 the applied migrations failed to replay, 5 another migration is running,",
                "  6 reports cannot be written (none is left), 70 internal error."})
public final class GateCommand implements Callable<Integer> {

    @Mixin
    AuditInputs inputs;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "0s",
            description = "Retry the first connection with backoff for up to this long (500ms, 30s, 2m); "
                    + "prints one line per failed attempt. Default: ${DEFAULT-VALUE} (one attempt).")
    String readyWait;

    @Option(names = "--allow-concurrent",
            description = "Go on even when Flyway's lock is held or DDL is running on the audited schemas "
                    + "(reported as DW303 warnings); without it the gate exits 5.")
    boolean allowConcurrent;

    @Option(names = "--no-data-probes",
            description = "Do not probe production's rows (NULLs before SET NOT NULL, duplicates before UNIQUE, "
                    + "orphans before FOREIGN KEY, CHECK violations, casts): the explicit way to accept that risk. "
                    + "Without it, a probe the role may not run (DW326, with the GRANT) or whose expression is "
                    + "not safe to evaluate on production (DW327) is an error.")
    boolean noDataProbes;

    @Option(names = "--large-table-rows", paramLabel = "N", defaultValue = "100000",
            description = "A table with at least this many rows (or 100 MiB) is large: its lock and rewrite "
                    + "hazards are warnings, smaller tables' are info. Default: ${DEFAULT-VALUE}.")
    long largeTableRows;

    @Option(names = "--probe-timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "statement_timeout of each data probe. Default: ${DEFAULT-VALUE}.")
    String probeTimeout;

    @Option(names = "--fail-on", paramLabel = "LEVEL", defaultValue = "error",
            description = "Exit 1 when a finding is at least this severe: error, warning, info, never. "
                    + "Default: ${DEFAULT-VALUE} (a deploy should stop for what breaks it, not for a hand-made index).")
    String failOn;

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
        Duration wait = CliSupport.parseDuration(readyWait, "--wait");
        Duration probe = CliSupport.parseDuration(probeTimeout, "--probe-timeout");
        // the live connection also runs the probes and the size reads: its socket timeout outlasts them
        Duration otherStatements = probe.compareTo(RelationSizes.DEFAULT_STATEMENT_TIMEOUT) > 0 ? probe
                : RelationSizes.DEFAULT_STATEMENT_TIMEOUT;
        AuditOptions options = inputs.toOptions(AuditCommand.parseFailOn(failOn), otherStatements);
        if (largeTableRows < 1) {
            throw new IllegalArgumentException("--large-table-rows must be at least 1, not " + largeTableRows);
        }
        ProbeSettings defaults = ProbeSettings.defaults();
        Gate.Options gate = new Gate.Options(wait, allowConcurrent, !noDataProbes, new PostgresGateChecks(
                new MigrationHazards.Thresholds(largeTableRows, MigrationHazards.Thresholds.defaults().largeBytes()),
                new ProbeSettings(probe, defaults.lockTimeout(), defaults.samples(), defaults.countCap())));
        PrintStream err = System.err;
        boolean progress = output.progress();
        if (progress) {
            err.println("driftwatch gate of " + options.target().display());
        }
        ResultPipeline pipeline = ResultPipeline.prepare(rules, config, reports, output, err);
        AuditListener listener = CliSupport.listener(err, progress, output.quiet);
        Gate.Run ran = new Gate().run(options, gate, listener);
        AuditResult result = pipeline.finish(ran.audit(), ran.result());
        return result.failed() ? ExitCode.FINDINGS.code() : ExitCode.CLEAN.code();
    }
}
