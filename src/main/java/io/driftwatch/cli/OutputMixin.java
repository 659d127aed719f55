package io.driftwatch.cli;

import picocli.CommandLine.Option;

/**
 * {@code --quiet}, {@code --verbose}, {@code --no-color}: how much the command prints.
 */
public final class OutputMixin {

    @Option(names = {"--quiet", "-q"}, description = "Print nothing but errors; rely on the exit code and the reports.")
    boolean quiet;

    @Option(names = {"--verbose", "-v"}, description = "Show progress and library logs, and stack traces on errors.")
    boolean verbose;

    @Option(names = "--no-color", description = "No ANSI colours (also when NO_COLOR is set or output is not a terminal).")
    boolean noColor;

    /** @return true when step-by-step progress should be printed (terminal or --verbose, and not --quiet) */
    boolean progress() {
        return !quiet && (verbose || CliSupport.onTerminal());
    }
}
