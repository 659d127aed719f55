package io.driftwatch.cli;

import io.driftwatch.Version;
import io.driftwatch.base.AuditException;
import io.driftwatch.base.ExitCode;
import io.driftwatch.postgres.DatabaseErrors;
import io.driftwatch.base.PasswordMask;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Entry point of the {@code driftwatch} command line. Maps failures to the documented exit codes:
 * {@link AuditException} to its own code with a one-line message; an output that cannot be written
 * ({@link io.driftwatch.base.OutputWriteException}) to 6; bad flags (unknown option, missing
 * value, {@code -q} with {@code -v}) to 2 with one line naming the problem and one
 * {@code see 'driftwatch <command> --help'} line; anything else to 70 ("internal error"), with a stack
 * trace only under {@code --verbose}. Every line printed here passes through {@link PasswordMask}, with
 * the passwords given on this command line and in {@code PGPASSWORD} also masked literally.
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
                "  2 usage or configuration error, 3 database unreachable or timed out,",
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
        List<String> secrets = secrets(args, System.getenv());
        CommandLine cli = new CommandLine(new Main());
        ConfigDefaults.install(cli);
        CommandLine.IExecutionStrategy configured = cli.getExecutionStrategy();
        cli.setExecutionStrategy(parseResult -> {
            rejectConflicts(parseResult);
            return configured.execute(parseResult);
        });
        cli.setParameterExceptionHandler((ex, arguments) -> {
            CommandLine failed = ex.getCommandLine() != null ? ex.getCommandLine() : cli;
            PrintWriter err = failed.getErr();
            err.println(PasswordMask.maskLiterals("driftwatch: " + DatabaseErrors.firstLine(ex.getMessage())
                    + suggestions(ex), secrets));
            err.println("see '" + failed.getCommandSpec().qualifiedName() + " --help'");
            err.flush();
            return ExitCode.USAGE.code();
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof AuditException ae) {
                err.println(PasswordMask.maskLiterals("driftwatch: " + io.driftwatch.model.OneLine.of(ae.getMessage()), secrets));
                if (verbose && ae.getCause() != null) {
                    printStackTrace(err, ae.getCause(), secrets);
                }
                err.flush();
                return ae.exitCode().code();
            }
            io.driftwatch.base.OutputWriteException output = outputFailure(ex);
            if (output != null) {
                err.println(PasswordMask.maskLiterals("driftwatch: " + io.driftwatch.model.OneLine.of(
                        output.getMessage()), secrets));
                if (verbose) {
                    printStackTrace(err, output, secrets);
                }
                err.flush();
                return ExitCode.OUTPUT.code();
            }
            int code;
            String line;
            if (ex instanceof io.driftwatch.tool.MigrationException) {
                code = ExitCode.USAGE.code();
                line = ex.getMessage();
            } else if (ex instanceof io.driftwatch.tool.ReplayException) {
                code = ExitCode.REPLAY_FAILED.code();
                line = ex.getMessage();
            } else if (ex instanceof IllegalArgumentException) {
                code = ExitCode.USAGE.code();
                line = ex.getMessage();
            } else {
                code = ExitCode.INTERNAL.code();
                line = "internal error: " + ex
                        + (verbose ? "" : " (run with --verbose for the stack trace, and please report it)");
            }
            err.println(PasswordMask.maskLiterals("driftwatch: " + io.driftwatch.model.OneLine.of(line), secrets));
            if (verbose && code == ExitCode.INTERNAL.code()) {
                printStackTrace(err, ex, secrets);
            }
            err.flush();
            return code;
        });
        return cli.execute(args);
    }

    private static io.driftwatch.base.OutputWriteException outputFailure(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.driftwatch.base.OutputWriteException o) {
                return o;
            }
        }
        return null;
    }

    /**
     * Flags that exclude each other on one command line: {@code -q} with {@code -v} (both from the
     * command line; a configuration file's value never conflicts with a flag, the flag wins).
     *
     * @throws CommandLine.ParameterException (exit 2, through the parameter exception handler)
     */
    private static void rejectConflicts(CommandLine.ParseResult parseResult) {
        CommandLine.ParseResult last = parseResult;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        if (last.hasMatchedOption("--quiet") && last.hasMatchedOption("--verbose")) {
            throw new CommandLine.ParameterException(last.commandSpec().commandLine(),
                    "use either -q/--quiet or -v/--verbose, not both");
        }
    }

    /** @return {@code " (did you mean --x or --y?)"} for a mistyped option picocli can match, else "" */
    private static String suggestions(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            List<String> s = u.getSuggestions();
            return " (did you mean " + String.join(" or ", s.subList(0, Math.min(3, s.size()))) + "?)";
        }
        return "";
    }

    /**
     * Every password the user gave this run, to be masked literally wherever it would be printed:
     * {@code --password VALUE} / {@code --password=VALUE}, the passwords inside each argument
     * ({@link PasswordMask#secretsIn}) and {@code PGPASSWORD}.
     */
    static List<String> secrets(String[] args, Map<String, String> env) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--password") && i + 1 < args.length && !args[i + 1].startsWith("--")) {
                out.add(args[i + 1]);
            } else if (a.startsWith("--password=")) {
                out.add(a.substring("--password=".length()));
            }
            out.addAll(PasswordMask.secretsIn(a));
        }
        String pg = env.get("PGPASSWORD");
        if (pg != null) {
            out.add(pg);
        }
        return out;
    }

    private static void printStackTrace(PrintWriter err, Throwable t, List<String> secrets) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        err.print(PasswordMask.maskLiterals(trace.toString(), secrets));
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
