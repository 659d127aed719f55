package io.driftwatch.cli;

import io.driftwatch.Version;
import io.driftwatch.audit.AuditException;
import io.driftwatch.audit.ExitCode;
import io.driftwatch.introspect.ConnectionSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Arrays;

/**
 * Entry point of the {@code driftwatch} command line. Maps failures to the documented exit codes:
 * {@link AuditException} to its own code with a one-line message; an output that cannot be written
 * ({@link io.driftwatch.report.OutputWriteException}) to 6; bad flags to 2; anything else to 70
 * ("internal error"), with a stack trace only under {@code --verbose}.
 */
@Command(name = "driftwatch", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        usageHelpAutoWidth = true,
        description = {"Schema drift auditor for PostgreSQL and Flyway.", ""},
        subcommands = {AuditCommand.class, GateCommand.class, BridgeCommand.class, InspectCommand.class, DiffCommand.class, StampCommand.class, DemoCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
                "  driftwatch demo          # sample project, drifted by hand, audited",
                "  driftwatch audit --url postgresql://auditor@db:5432/shop -m db/migration",
                "  driftwatch gate --url postgresql://deployer@db:5432/shop -m db/migration --wait 2m",
                "  driftwatch help audit",
                "",
                "Exit codes: 0 clean, 1 findings at or above --fail-on,",
                "  2 usage or configuration error, 3 database unreachable,",
                "  4 migrations failed to replay, 5 another migration is running (gate),",
                "  6 output cannot be written, 70 internal error."})
public final class Main {

    private Main() {
    }

    /**
     * Runs the CLI and exits with its code. With the environment variable {@code DRIFTWATCH_TIMING}
     * set (any value) or {@code -Ddriftwatch.timing=true}, prints one last line to standard error:
     * {@code driftwatch-timing: in-process-ms=N jvm-uptime-ms=M} (N from entering {@code main} to the
     * end of the command, M since the JVM started; milliseconds), read by {@code scripts/bench}.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        long started = System.nanoTime();
        int code = run(args);
        if (System.getenv("DRIFTWATCH_TIMING") != null || Boolean.getBoolean("driftwatch.timing")) {
            // scripts/bench reads this line (docs/benchmarks.md); off unless asked for
            System.err.printf(java.util.Locale.ROOT, "driftwatch-timing: in-process-ms=%d jvm-uptime-ms=%d%n",
                    (System.nanoTime() - started) / 1_000_000,
                    java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
        }
        System.exit(code);
    }

    /**
     * Runs the CLI without exiting the JVM (used by tests).
     *
     * @param args command-line arguments
     * @return the process exit code
     */
    public static int run(String... args) {
        boolean verbose = Arrays.stream(args).anyMatch(a -> a.equals("--verbose") || a.equals("-v"));
        configureLogging(verbose);
        CommandLine cli = new CommandLine(new Main());
        ConfigDefaults.install(cli);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof AuditException ae) {
                err.println("driftwatch: " + ConnectionSpec.maskUrl(ae.getMessage()));
                if (verbose && ae.getCause() != null) {
                    ae.getCause().printStackTrace(err);
                }
                err.flush();
                return ae.exitCode().code();
            }
            io.driftwatch.report.OutputWriteException output = outputFailure(ex);
            if (output != null) {
                err.println("driftwatch: " + ConnectionSpec.maskUrl(output.getMessage()));
                if (verbose) {
                    output.printStackTrace(err);
                }
                err.flush();
                return ExitCode.OUTPUT.code();
            }
            if (ex instanceof io.driftwatch.migrate.MigrationException) {
                err.println("driftwatch: " + ConnectionSpec.maskUrl(ex.getMessage()));
                err.flush();
                return ExitCode.USAGE.code();
            }
            if (ex instanceof io.driftwatch.migrate.ReplayException) {
                err.println("driftwatch: " + ConnectionSpec.maskUrl(ex.getMessage()));
                err.flush();
                return ExitCode.REPLAY_FAILED.code();
            }
            if (ex instanceof IllegalArgumentException) {
                err.println("driftwatch: " + ConnectionSpec.maskUrl(ex.getMessage()));
                err.flush();
                return ExitCode.USAGE.code();
            }
            err.println("driftwatch: internal error: " + ConnectionSpec.maskUrl(String.valueOf(ex))
                    + (verbose ? "" : " (run with --verbose for the stack trace, and please report it)"));
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return ExitCode.INTERNAL.code();
        });
        return cli.execute(args);
    }

    /** @return the {@link io.driftwatch.report.OutputWriteException} {@code ex} is or was caused by, or null */
    private static io.driftwatch.report.OutputWriteException outputFailure(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.driftwatch.report.OutputWriteException o) {
                return o;
            }
        }
        return null;
    }

    /** Quiet third-party logging (Flyway, Testcontainers, embedded PostgreSQL) unless verbose. */
    private static void configureLogging(boolean verbose) {
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
        if (!verbose) {
            System.setProperty("org.slf4j.simpleLogger.log.org.testcontainers", "off");
            System.setProperty("org.slf4j.simpleLogger.log.io.zonky", "error");
            System.setProperty("org.slf4j.simpleLogger.log.org.flywaydb", "error");
        }
    }

    /** Supplies {@code --version} from the jar manifest. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"driftwatch " + Version.get(), "Java " + System.getProperty("java.version")};
        }
    }
}
