package io.driftwatch.rules;

/**
 * A rule file that cannot be used: a bad header, a clashing id, SQL that Calcite rejects, a query
 * that does not return what its header needs. The message is one line that starts with
 * {@code file:line:} (or {@code file:line:column:}) and says what to do; the CLI prints it and exits 2
 * (an {@link IllegalArgumentException}, which {@code cli.Main} maps to the usage exit code).
 */
public final class RuleFileException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * @param source the file as the user named it (or the lint pack's resource path)
     * @param line   1-based line, or 0 when the problem is the whole file
     * @param what   what is wrong and how to fix it
     */
    public RuleFileException(String source, int line, String what) {
        super(source + (line > 0 ? ":" + line : "") + ": " + what);
    }

    /**
     * @param source the file
     * @param line   1-based line
     * @param column 1-based column, or 0 when unknown
     * @param what   what is wrong
     */
    public RuleFileException(String source, int line, int column, String what) {
        super(source + (line > 0 ? ":" + line : "") + (line > 0 && column > 0 ? ":" + column : "") + ": " + what);
    }
}
