package io.driftwatch.cli;

import io.driftwatch.policy.AuditResult;
import io.driftwatch.policy.AuditRun;
import io.driftwatch.policy.Policy;
import io.driftwatch.report.ConsoleReporter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code audit} and {@code gate} do around their run, in one place. Before it ({@link #prepare}):
 * stale reports are deleted, SQL rule headers are read and the {@code driftwatch.yaml} policy is built,
 * so a bad rule file or configuration fails (exit 2) before any database work. After it
 * ({@link #finish}): the SQL rules add their findings, then the policy applies severity overrides and
 * waivers (so it covers the SQL rules' findings too), then the reports are written and the console
 * summary printed.
 */
final class ResultPipeline {
    private final RulesMixin rules;
    private final ReportMixin reports;
    private final OutputMixin output;
    private final PrintStream err;
    private final Policy policy;

    private ResultPipeline(RulesMixin rules, ReportMixin reports, OutputMixin output, PrintStream err, Policy policy) {
        this.rules = rules;
        this.reports = reports;
        this.output = output;
        this.err = err;
        this.policy = policy;
    }

    /**
     * @param rules   {@code --rules}, {@code --lint}
     * @param config  {@code --config}
     * @param reports {@code --out}, {@code --format}
     * @param output  {@code --quiet}, {@code --no-color}
     * @param err     where notes go
     * @return the pipeline, ready for {@link #finish}
     * @throws IOException when a stale report cannot be deleted
     * @throws io.driftwatch.rules.RuleFileException (exit 2) for a bad rule file header
     * @throws io.driftwatch.config.ConfigException (exit 2) when the configuration names an unknown rule
     */
    static ResultPipeline prepare(RulesMixin rules, ConfigMixin config, ReportMixin reports, OutputMixin output,
                                  PrintStream err) throws IOException {
        reports.deleteStale();
        rules.load(err, output.quiet);
        return new ResultPipeline(rules, reports, output, err, config.policy(rules.ruleNames()));
    }

    /**
     * @param run    the audit behind the result (its models feed the SQL rules and inline waivers)
     * @param result the run's result
     * @return the final result: SQL rule findings merged, overrides and waivers applied; its
     *         {@link AuditResult#failed()} decides exit code 1
     * @throws IOException when a report cannot be written
     * @throws io.driftwatch.rules.RuleFileException (exit 2) for a rule whose query fails
     */
    AuditResult finish(AuditRun run, AuditResult result) throws IOException {
        AuditResult r = rules.apply(run, result, err, output.progress(), output.quiet);
        r = policy.apply(run, r);
        List<Path> written = reports.write(r);
        if (!output.quiet) {
            new ConsoleReporter().print(r, System.out, CliSupport.colorAllowed(output.noColor));
            for (Path p : written) {
                System.out.println("report: " + p);
            }
        }
        return r;
    }
}
