package io.driftwatch.report;

import io.driftwatch.policy.AuditResult;
import io.driftwatch.policy.Rehearsal;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Severity;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * Prints a short terminal summary of an audit: one line per finding (most severe first, at most
 * {@code maxLines}, then {@code … and N more (see report.html)}), a total line and a status line:
 * <pre>
 * error    DW116 missing-constraint  public.orders.orders_customer_id_fkey  foreign key ... is missing
 * warning  DW101 extra-index         public.orders.orders_note_idx          index ... exists in the database but in no migration
 * 2 findings: 1 error, 1 warning, 0 info
 * status: drift, FAILED at --fail-on error
 * </pre>
 * Waived findings come after the others, each ending with
 * {@code [waived: reason (driftwatch.yaml:14, until 2027-03-31)]}; they are not counted per severity but
 * as {@code , N waived} on the total line, and never make the status {@code drift}.
 * Control characters in names and messages are shown as a backslash-u escape (e.g. {@code \\u001b}) so hostile names cannot
 * move the cursor or recolour the terminal. ANSI colour only when the caller asks for it.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ConsoleReporter {

    /** Finding lines printed by the no-argument constructor before the "and N more" line. */
    public static final int DEFAULT_MAX_LINES = 30;

    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "\u001b[1m";
    private static final String RED = "\u001b[31m";
    private static final String YELLOW = "\u001b[33m";
    private static final String CYAN = "\u001b[36m";
    private static final String GREEN = "\u001b[32m";
    private static final String DIM = "\u001b[2m";
    private static final int MAX_OBJECT_COLUMN = 48;

    private final int maxLines;
    private final String fullReport;

    /** Prints at most {@value #DEFAULT_MAX_LINES} findings and points to {@code report.html} for the rest. */
    public ConsoleReporter() {
        this(DEFAULT_MAX_LINES, "report.html");
    }

    /**
     * @param maxLines   finding lines to print before summarising the rest; at least 1
     * @param fullReport name of the file holding every finding, shown in the "and N more" line
     * @throws IllegalArgumentException if {@code maxLines < 1}
     */
    public ConsoleReporter(int maxLines, String fullReport) {
        if (maxLines < 1) {
            throw new IllegalArgumentException("maxLines must be at least 1, got " + maxLines);
        }
        this.maxLines = maxLines;
        this.fullReport = fullReport;
    }

    /**
     * Prints the summary.
     *
     * @param result the audit
     * @param out    where to print (not closed)
     * @param color  true to use ANSI colours (the caller decides: a TTY and {@code NO_COLOR} unset)
     */
    public void print(AuditResult result, PrintStream out, boolean color) {
        List<Finding> findings = ReportFacts.ordered(result.findings());
        findings.sort(java.util.Comparator.comparing(Finding::waived));
        List<Finding> shown = findings.subList(0, Math.min(maxLines, findings.size()));
        int ruleWidth = 0;
        int objectWidth = 0;
        for (Finding f : shown) {
            ruleWidth = Math.max(ruleWidth, f.rule().display().length());
            int len = safe(f.object().qualifiedName()).length();
            if (len <= MAX_OBJECT_COLUMN) {
                objectWidth = Math.max(objectWidth, len);
            }
        }
        for (Finding f : shown) {
            StringBuilder line = new StringBuilder();
            String sev = pad(f.severity().label(), 8);
            line.append(color ? paint(severityColor(f.severity()), sev) : sev);
            line.append(pad(f.rule().display(), ruleWidth)).append("  ");
            line.append(pad(safe(f.object().qualifiedName()), objectWidth)).append("  ");
            line.append(safe(f.message()));
            if (f.waived()) {
                String w = "  [" + ReportFacts.waived(f.waiver()) + "]";
                line.append(color ? paint(DIM, safe(w)) : safe(w));
            }
            out.println(stripTrailing(line));
        }
        int rest = findings.size() - shown.size();
        if (rest > 0) {
            String more = "\u2026 and " + rest + " more (see " + fullReport + ")";
            out.println(color ? paint(DIM, more) : more);
        }
        if (result.rehearsal() != null) {
            printRehearsal(result.rehearsal(), out, color);
        }
        Map<Severity, Integer> counts = result.countsBySeverity();
        out.println(findings.size() + (findings.size() == 1 ? " finding: " : " findings: ")
                + plural(counts.get(Severity.ERROR), "error") + ", "
                + plural(counts.get(Severity.WARNING), "warning") + ", "
                + counts.get(Severity.INFO) + " info"
                + (result.waivedCount() > 0 ? ", " + result.waivedCount() + " waived" : ""));
        String status = ReportFacts.status(result);
        long notAudited = ReportFacts.notAudited(result);
        if (notAudited > 0) {
            status += " (" + notAudited + (notAudited == 1 ? " object" : " objects") + " not audited, DW178)";
        }
        boolean failed = result.failed();
        String verdict = result.failOn() == null
                ? "passed (--fail-on never)"
                : (failed ? "FAILED" : "passed") + " at --fail-on " + result.failOn().label();
        if (color) {
            String statusColor = status.startsWith(ReportFacts.CLEAN) ? GREEN : YELLOW;
            out.println("status: " + paint(BOLD + statusColor, status) + ", "
                    + paint(BOLD + (failed ? RED : GREEN), verdict));
        } else {
            out.println("status: " + status + ", " + verdict);
        }
    }

    /**
     * One line per pending migration of {@code driftwatch gate}'s rehearsal:
     * {@code applied  V43__add_status.sql  (120 ms, 2 changes)}, or {@code FAILED} with the line, the
     * server's message and, when drift broke it, the findings that explain it.
     */
    private static void printRehearsal(Rehearsal r, PrintStream out, boolean color) {
        if (r.migrations().isEmpty()) {
            out.println("rehearsal: no pending migration");
            return;
        }
        out.println("rehearsal of " + r.migrations().size() + " pending migration(s) in " + safe(r.shadow()) + ":");
        int width = 0;
        for (Rehearsal.Step s : r.migrations()) {
            width = Math.max(width, safe(s.script()).length());
        }
        for (Rehearsal.Step s : r.migrations()) {
            String word = pad(s.outcome() == Rehearsal.Outcome.FAILED ? "FAILED" : s.outcome().label(), 8);
            StringBuilder line = new StringBuilder("  ");
            line.append(color ? paint(switch (s.outcome()) {
                case APPLIED -> GREEN;
                case FAILED -> BOLD + RED;
                case NOT_RUN -> DIM;
            }, word) : word);
            line.append(pad(safe(s.script()), width)).append("  ");
            if (s.outcome() == Rehearsal.Outcome.APPLIED) {
                line.append('(').append(s.millis()).append(" ms, ").append(plural(s.changes().size(), "change"))
                        .append(')');
            } else if (s.failure() != null) {
                Rehearsal.Failure f = s.failure();
                line.append(f.line() != null ? "line " + f.line() + ": " : "").append(safe(f.message()));
                if (f.causedByDrift()) {
                    line.append(" (drift breaks it").append(f.explainedBy().isEmpty() ? ""
                            : ": " + safe(String.join(", ", f.explainedBy()))).append(')');
                }
            }
            out.println(stripTrailing(line));
            if (s.failure() != null && s.failure().fix() != null) {
                out.println("          next: " + safe(s.failure().fix()));
            }
        }
    }

    private static String severityColor(Severity s) {
        return switch (s) {
            case ERROR -> BOLD + RED;
            case WARNING -> YELLOW;
            case INFO -> CYAN;
        };
    }

    private static String paint(String code, String text) {
        return code + text + RESET;
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    private static String pad(String s, int width) {
        StringBuilder sb = new StringBuilder(s);
        while (sb.length() < width) {
            sb.append(' ');
        }
        return sb.toString();
    }

    private static String stripTrailing(StringBuilder sb) {
        return sb.toString().stripTrailing();
    }

    private static String safe(String s) {
        return ReportFacts.showControls(s, false);
    }
}
