package io.driftwatch.report;

import io.driftwatch.base.AtomicFileWriter;
import io.driftwatch.policy.AuditResult;
import io.driftwatch.policy.Rehearsal;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Rule;
import io.driftwatch.policy.RuleDocs;
import io.driftwatch.policy.Severity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes {@code report.md}: a GitHub-flavoured Markdown summary fit for a pull-request comment or
 * {@code $GITHUB_STEP_SUMMARY}:
 * <pre>
 * ## driftwatch: drift, FAILED at --fail-on error
 *
 * Target postgresql://auditor@db.example:5432/shop (PostgreSQL 16.4), 5 findings, 83.5 s, driftwatch 0.1.0.
 *
 * | Severity | Findings |
 * |---|---:|
 * | error | 3 |   (warning, info)
 *
 * | Severity | Rule | Object | Message |
 * |---|---|---|---|
 * | error | DW116 missing-constraint | public.orders.orders_customer_id_fkey | foreign key ... is missing |
 * … and N more (see report.html)
 *
 * **How to fix**
 * - **DW116 missing-constraint**: Check the data first ... ([more](https://.../docs/rules.md#dw116-missing-constraint))
 *
 * ### Rehearsal of pending migrations   (only for driftwatch gate)
 * | Outcome | Migration | Time | Details |
 * </pre>
 * A waived finding's message ends with {@code — waived: reason (origin, until date)} and the counts
 * table gets a {@code waived} row (waived findings are not in the severity rows).
 * The findings table holds at most {@value #MAX_ROWS} rows (most severe first). Every value from the
 * database or the scripts is escaped for a table cell: backslash, pipe, backtick and the Markdown
 * punctuation that could start emphasis, links, images or headings get a backslash; {@code <},
 * {@code >} and {@code &} become entities so no HTML is injected; {@code @} becomes {@code &#64;} so
 * a name cannot mention a user; line breaks and other invisible characters become backslash-u escapes
 * so a value cannot end its row. The "How to fix" list has one line per rule of the findings that are
 * not waived (in report order), with the rule's fix hint from {@code rules/catalog.yaml} (project-written
 * Markdown, kept as it is but for line breaks) and, for built-in rules, a link to its section of
 * {@code docs/rules.md}; rules without a fix hint are left out. Instances are immutable and
 * thread-safe.
 */
public final class MarkdownReporter {

    /** Finding rows shown before the "and N more" line. */
    public static final int MAX_ROWS = 50;

    /** Writes the report. */
    public MarkdownReporter() {
    }

    /**
     * Writes the report atomically (temp file in the same directory, then a move), UTF-8.
     *
     * @param result the audit
     * @param file   target file, typically {@code report.md}; parent directories are created
     * @throws IOException when the file cannot be written; an existing file is then left unchanged
     */
    public void write(AuditResult result, Path file) throws IOException {
        byte[] bytes = render(result).getBytes(StandardCharsets.UTF_8);
        AtomicFileWriter.write(file, out -> out.write(bytes));
    }

    /**
     * @param result the audit
     * @return the Markdown text, lines ending in {@code \n}
     */
    public String render(AuditResult result) {
        StringBuilder md = new StringBuilder();
        String status = ReportFacts.status(result);
        String verdict = result.failOn() == null ? "passed (--fail-on never)"
                : (result.failed() ? "FAILED" : "passed") + " at --fail-on " + result.failOn().label();
        String icon = result.failed() ? "\u274c" : ReportFacts.CLEAN.equals(status) ? "\u2705" : "\u26a0\ufe0f";
        md.append("## ").append(icon).append(" driftwatch: ").append(status).append(", ").append(verdict)
                .append("\n\n");

        List<Finding> findings = ReportFacts.ordered(result.findings());
        md.append("Target ").append(cell(ReportFacts.maskUrl(result.target().url())));
        if (result.target().serverVersion() != null) {
            md.append(" (PostgreSQL ").append(cell(result.target().serverVersion())).append(')');
        }
        md.append(", ").append(findings.size()).append(findings.size() == 1 ? " finding" : " findings")
                .append(", ").append(String.format(Locale.ROOT, "%.1f s", result.durationMillis() / 1000.0))
                .append(", driftwatch ").append(cell(result.toolVersion())).append(".\n");
        long notAudited = ReportFacts.notAudited(result);
        if (notAudited > 0) {
            md.append('\n').append(notAudited).append(notAudited == 1 ? " object was" : " objects were")
                    .append(" not audited (DW178).\n");
        }

        md.append("\n| Severity | Findings |\n|---|---:|\n");
        Map<Severity, Integer> counts = result.countsBySeverity();
        for (Severity s : Severity.values()) {
            md.append("| ").append(s.label()).append(" | ").append(counts.get(s)).append(" |\n");
        }
        if (result.waivedCount() > 0) {
            md.append("| waived | ").append(result.waivedCount()).append(" |\n");
        }

        if (!findings.isEmpty()) {
            md.append("\n| Severity | Rule | Object | Message |\n|---|---|---|---|\n");
            for (Finding f : findings.subList(0, Math.min(MAX_ROWS, findings.size()))) {
                md.append("| ").append(f.severity().label())
                        .append(" | ").append(cell(f.rule().display()))
                        .append(" | ").append(cell(f.object().toString()))
                        .append(" | ").append(cell(f.message() + (f.waived() ? " — " + ReportFacts.waived(f.waiver()) : "")))
                        .append(" |\n");
            }
            if (findings.size() > MAX_ROWS) {
                md.append("\n\u2026 and ").append(findings.size() - MAX_ROWS).append(" more (see report.html)\n");
            }
            howToFix(md, findings);
        }

        Rehearsal r = result.rehearsal();
        if (r != null) {
            md.append("\n### Rehearsal of pending migrations\n\n");
            if (r.migrations().isEmpty()) {
                md.append("No pending migration.\n");
            } else {
                md.append("In ").append(cell(r.shadow())).append(".\n\n");
                md.append("| Outcome | Migration | Time | Details |\n|---|---|---:|---|\n");
                for (Rehearsal.Step s : r.migrations()) {
                    md.append("| ").append(s.outcome().label()).append(" | ").append(cell(s.script()))
                            .append(" | ").append(s.outcome() == Rehearsal.Outcome.NOT_RUN ? "" : s.millis() + " ms")
                            .append(" | ").append(cell(details(s))).append(" |\n");
                }
            }
        }
        return md.toString();
    }

    /** One line per rule with a fix hint among the unwaived findings, in report order. */
    private static void howToFix(StringBuilder md, List<Finding> findings) {
        Set<Rule> rules = new LinkedHashSet<>();
        for (Finding f : findings) {
            if (!f.waived() && !f.rule().fix().isBlank()) {
                rules.add(f.rule());
            }
        }
        if (rules.isEmpty()) {
            return;
        }
        md.append("\n**How to fix**\n\n");
        for (Rule r : rules) {
            md.append("- **").append(cell(r.display())).append("**: ")
                    .append(r.fix().strip().replaceAll("\\s*\\R\\s*", " "));
            if (r.isBuiltIn()) {
                md.append(" ([more](").append(SarifReporter.RULES_URI).append('#').append(RuleDocs.anchor(r)).append("))");
            }
            md.append('\n');
        }
    }

    private static String details(Rehearsal.Step s) {
        if (s.outcome() == Rehearsal.Outcome.APPLIED) {
            return s.changes().size() + (s.changes().size() == 1 ? " change" : " changes");
        }
        Rehearsal.Failure f = s.failure();
        if (f == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        if (f.line() != null) {
            sb.append("line ").append(f.line()).append(": ");
        }
        sb.append(f.message());
        if (f.causedByDrift()) {
            sb.append(" (drift breaks it");
            if (!f.explainedBy().isEmpty()) {
                sb.append(": ").append(String.join(", ", f.explainedBy()));
            }
            sb.append(')');
        }
        if (f.fix() != null) {
            sb.append("; next: ").append(f.fix());
        }
        return sb.toString();
    }

    /**
     * Escapes a value for a GitHub-flavoured Markdown table cell (see the class comment).
     *
     * @param s text, or null
     * @return the escaped text; empty for null
     */
    static String cell(String s) {
        String shown = ReportFacts.showControls(s, false);
        StringBuilder sb = new StringBuilder(shown.length() + 16);
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '@' -> sb.append("&#64;");
                case '\\', '|', '`', '*', '_', '[', ']', '~', '#', '!' -> sb.append('\\').append(c);
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
