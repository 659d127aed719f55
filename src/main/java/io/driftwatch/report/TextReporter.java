package io.driftwatch.report;

import io.driftwatch.base.AtomicFileWriter;
import io.driftwatch.policy.AuditResult;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes {@code report.txt}: the console summary of {@link ConsoleReporter} without colours and
 * with every finding (no line limit), preceded by one line naming the tool, the target (password
 * masked) and the start time:
 * <pre>
 * driftwatch 0.1.0 audit of postgresql://auditor@db.example:5432/shop (PostgreSQL 16.4) at 2024-05-01T10:15:30Z
 * error    DW116 missing-constraint  public.orders.orders_customer_id_fkey  foreign key ... is missing
 * ...
 * 5 findings: 3 errors, 1 warning, 1 info
 * status: drift, FAILED at --fail-on error
 * </pre>
 * Control and bidirectional characters are shown as backslash-u escapes, as on the console.
 * Instances are immutable and thread-safe.
 */
public final class TextReporter {

    private final ConsoleReporter console = new ConsoleReporter(Integer.MAX_VALUE, "report.txt");

    /** Writes the report. */
    public TextReporter() {
    }

    /**
     * Writes the report atomically (temp file in the same directory, then a move), UTF-8.
     *
     * @param result the audit
     * @param file   target file, typically {@code report.txt}; parent directories are created
     * @throws IOException when the file cannot be written; an existing file is then left unchanged
     */
    public void write(AuditResult result, Path file) throws IOException {
        byte[] bytes = render(result).getBytes(StandardCharsets.UTF_8);
        AtomicFileWriter.write(file, out -> out.write(bytes));
    }

    /**
     * @param result the audit
     * @return the text, lines ending in {@code \n}
     */
    public String render(AuditResult result) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            out.print("driftwatch " + ReportFacts.showControls(result.toolVersion(), false) + " audit of "
                    + ReportFacts.showControls(ReportFacts.maskUrl(result.target().url()), false)
                    + (result.target().serverVersion() == null ? ""
                    : " (PostgreSQL " + ReportFacts.showControls(result.target().serverVersion(), false) + ")")
                    + (result.startedAt() == null ? "" : " at " + result.startedAt()) + "\n");
            console.print(result, out, false);
        }
        return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}
