package io.driftwatch.report;

import io.driftwatch.base.AtomicFileWriter;
import io.driftwatch.policy.AuditResult;
import io.driftwatch.policy.Rehearsal;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Severity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@code report.junit.xml}: the audit as JUnit XML in the shape Maven Surefire writes and
 * Jenkins, GitLab, Azure DevOps and GitHub test-report actions read:
 * <pre>
 * &lt;testsuites name="driftwatch" tests="4" failures="2" errors="0" time="83.500"&gt;
 *   &lt;testsuite name="driftwatch" tests="4" failures="2" errors="0" skipped="0" time="83.500" timestamp="2024-05-01T10:15:30"&gt;
 *     &lt;properties&gt;&lt;property name="failOn" value="error"/&gt;...&lt;/properties&gt;
 *     &lt;testcase classname="constraint" name="public.orders.orders_customer_id_fkey" time="0"&gt;
 *       &lt;failure message="foreign key ... is missing" type="DW116"&gt;error DW116 missing-constraint ...&lt;/failure&gt;
 *     &lt;/testcase&gt;
 *     &lt;testcase classname="history" name="5" time="0"&gt;&lt;system-out&gt;info DW203 ...&lt;/system-out&gt;&lt;/testcase&gt;
 *     &lt;testcase classname="rehearsal" name="V5__note.sql" time="0.012"/&gt;
 *     &lt;testcase classname="driftwatch" name="audit" time="83.500"&gt;&lt;failure .../&gt;&lt;/testcase&gt;
 *   &lt;/testsuite&gt;
 * &lt;/testsuites&gt;
 * </pre>
 * One test case per object with findings ({@code classname} = the object kind token, or
 * {@code history} for migrations; {@code name} = the qualified name), in report order. Findings at
 * or above {@link AuditResult#failOn()} (never, when it is null) and not waived make one {@code failure} whose
 * {@code type} is the most severe failing finding's rule id and whose text lists every failing
 * finding with its expected and actual definitions; findings below the threshold go to the test
 * case's {@code system-out}; a test case whose object has waived findings and no failing one is
 * {@code <skipped message="waived: reason (origin)"/>} (a waived finding is accepted, not a failure,
 * and counted in the suite's {@code skipped}). Then one passing test case per rehearsed migration that applied
 * ({@code classname="rehearsal"}), and a summary test case {@code driftwatch.audit} that fails
 * exactly when {@link AuditResult#failed()} does. Times are seconds with three decimals.
 *
 * <p>Text is escaped for XML 1.0: markup characters become entities, and characters XML 1.0 cannot
 * carry (C0 controls other than tab and line breaks, lone surrogates, U+FFFE/U+FFFF) as well as
 * invisible or reordering characters become a visible backslash-u escape, so a hostile name
 * cannot make the file unparseable. Instances are immutable and thread-safe.
 */
public final class JunitReporter {

    /** Test-suite name, also the {@code classname} of the summary test case. */
    public static final String SUITE = "driftwatch";

    /** Writes the report. */
    public JunitReporter() {
    }

    /**
     * Writes the report atomically (temp file in the same directory, then a move), UTF-8.
     *
     * @param result the audit
     * @param file   target file, typically {@code report.junit.xml}; parent directories are created
     * @throws IOException when the file cannot be written; an existing file is then left unchanged
     */
    public void write(AuditResult result, Path file) throws IOException {
        byte[] bytes = render(result).getBytes(StandardCharsets.UTF_8);
        AtomicFileWriter.write(file, out -> out.write(bytes));
    }

    /**
     * @param result the audit
     * @return the complete XML document, ending with a newline
     */
    public String render(AuditResult result) {
        Severity failOn = result.failOn();
        Map<ObjectRef, List<Finding>> byObject = new LinkedHashMap<>();
        for (Finding f : ReportFacts.ordered(result.findings())) {
            byObject.computeIfAbsent(f.object(), k -> new ArrayList<>()).add(f);
        }

        StringBuilder cases = new StringBuilder();
        int tests = 0;
        int failures = 0;
        int skipped = 0;
        for (Map.Entry<ObjectRef, List<Finding>> e : byObject.entrySet()) {
            ObjectRef ref = e.getKey();
            List<Finding> failing = new ArrayList<>();
            List<Finding> passing = new ArrayList<>();
            for (Finding f : e.getValue()) {
                (!f.waived() && failOn != null && f.severity().atLeast(failOn) ? failing : passing).add(f);
            }
            tests++;
            String classname = ref.kind() == ObjectKind.HISTORY ? "history" : ReportFacts.kindToken(ref.kind());
            cases.append("    <testcase classname=\"").append(attr(classname)).append("\" name=\"")
                    .append(attr(ref.qualifiedName())).append("\" time=\"0\">\n");
            if (!failing.isEmpty()) {
                failures++;
                Finding first = failing.get(0);
                cases.append("      <failure message=\"").append(attr(first.message()
                                + (failing.size() > 1 ? " (and " + (failing.size() - 1) + " more)" : "")))
                        .append("\" type=\"").append(attr(first.rule().id())).append("\">");
                cases.append(text(details(failing))).append("</failure>\n");
            }
            List<Finding> waived = passing.stream().filter(Finding::waived).toList();
            if (failing.isEmpty() && !waived.isEmpty()) {
                skipped++;
                cases.append("      <skipped message=\"").append(attr(ReportFacts.waived(waived.get(0).waiver())
                        + (waived.size() > 1 ? " (and " + (waived.size() - 1) + " more)" : ""))).append("\"/>\n");
            }
            if (!passing.isEmpty()) {
                cases.append("      <system-out>").append(text(details(passing))).append("</system-out>\n");
            }
            cases.append("    </testcase>\n");
        }
        Rehearsal r = result.rehearsal();
        if (r != null) {
            for (Rehearsal.Step s : r.migrations()) {
                if (s.outcome() == Rehearsal.Outcome.APPLIED) {
                    tests++;
                    cases.append("    <testcase classname=\"rehearsal\" name=\"").append(attr(s.script()))
                            .append("\" time=\"").append(seconds(s.millis())).append("\"/>\n");
                }
            }
        }
        tests++;
        cases.append("    <testcase classname=\"").append(SUITE).append("\" name=\"audit\" time=\"")
                .append(seconds(result.durationMillis())).append('"');
        if (result.failed()) {
            failures++;
            long n = result.findings().stream().filter(f -> !f.waived() && f.severity().atLeast(failOn)).count();
            String message = n + (n == 1 ? " finding" : " findings") + " at or above --fail-on "
                    + failOn.label() + " (status " + ReportFacts.status(result) + ")";
            cases.append(">\n      <failure message=\"").append(attr(message)).append("\" type=\"driftwatch.")
                    .append(ReportFacts.status(result)).append("\">").append(text(summary(result)))
                    .append("</failure>\n    </testcase>\n");
        } else {
            cases.append(">\n      <system-out>").append(text(summary(result))).append("</system-out>\n    </testcase>\n");
        }

        String time = seconds(result.durationMillis());
        StringBuilder xml = new StringBuilder(cases.length() + 1024);
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append("<testsuites name=\"").append(SUITE).append("\" tests=\"").append(tests).append("\" failures=\"")
                .append(failures).append("\" errors=\"0\" time=\"").append(time).append("\">\n");
        xml.append("  <testsuite name=\"").append(SUITE).append("\" tests=\"").append(tests).append("\" failures=\"")
                .append(failures).append("\" errors=\"0\" skipped=\"").append(skipped).append("\" time=\"")
                .append(time).append('"');
        if (result.startedAt() != null) {
            xml.append(" timestamp=\"").append(LocalDateTime.ofInstant(result.startedAt(), ZoneOffset.UTC)
                    .truncatedTo(ChronoUnit.SECONDS)).append('"');
        }
        xml.append(">\n    <properties>\n");
        property(xml, "driftwatch.version", result.toolVersion());
        property(xml, "target", ReportFacts.maskUrl(result.target().url()));
        property(xml, "serverVersion", result.target().serverVersion());
        property(xml, "failOn", ReportFacts.failOn(result));
        property(xml, "status", ReportFacts.status(result));
        xml.append("    </properties>\n");
        xml.append(cases);
        xml.append("  </testsuite>\n</testsuites>\n");
        return xml.toString();
    }

    private static void property(StringBuilder xml, String name, String value) {
        xml.append("      <property name=\"").append(attr(name)).append("\" value=\"")
                .append(attr(value == null ? "" : value)).append("\"/>\n");
    }

    /** One block per finding: {@code error DW116 missing-constraint: message}, then expected/actual lines. */
    private static String details(List<Finding> findings) {
        StringBuilder sb = new StringBuilder();
        for (Finding f : findings) {
            sb.append(f.severity().label()).append(' ').append(f.rule().display()).append(": ")
                    .append(ReportFacts.showControls(f.message(), false)).append('\n');
            if (f.expected() != null) {
                sb.append("  expected: ").append(ReportFacts.showControls(f.expected(), false)).append('\n');
            }
            if (f.actual() != null) {
                sb.append("  actual:   ").append(ReportFacts.showControls(f.actual(), false)).append('\n');
            }
            if (f.waived()) {
                sb.append("  ").append(ReportFacts.showControls(ReportFacts.waived(f.waiver()), false)).append('\n');
            }
        }
        return sb.toString();
    }

    private static String summary(AuditResult result) {
        Map<Severity, Integer> counts = result.countsBySeverity();
        return result.findings().size() + " findings: " + counts.get(Severity.ERROR) + " error, "
                + counts.get(Severity.WARNING) + " warning, " + counts.get(Severity.INFO) + " info"
                + (result.waivedCount() > 0 ? ", " + result.waivedCount() + " waived" : "") + "; status "
                + ReportFacts.status(result) + ", " + (result.failed() ? "FAILED" : "passed") + " at --fail-on "
                + ReportFacts.failOn(result) + "\n";
    }

    /** Seconds with three decimals, e.g. {@code 83.500}. */
    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%d.%03d", Math.max(0, millis) / 1000, Math.max(0, millis) % 1000);
    }

    /** Escapes an attribute value: invisible characters shown, then markup and quotes as entities. */
    static String attr(String s) {
        return xml(ReportFacts.showControls(s, false), true);
    }

    /** Escapes element text: line breaks and tabs kept, other invisible characters shown, markup as entities. */
    static String text(String s) {
        return xml(ReportFacts.showControls(s, true), false);
    }

    /**
     * Escapes {@code &}, {@code <}, {@code >} (and in attributes {@code "}, {@code '}, tab and line
     * breaks as character references) and replaces what XML 1.0 cannot carry (its {@code Char}
     * production) by a backslash-u escape.
     */
    private static String xml(String s, boolean attribute) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
                continue;
            }
            boolean legal = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD);
            if (!legal) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                continue;
            }
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append(attribute ? "&quot;" : "\"");
                case '\'' -> sb.append(attribute ? "&apos;" : "'");
                case '\n' -> sb.append(attribute ? "&#10;" : "\n");
                case '\r' -> sb.append(attribute ? "&#13;" : "&#13;");
                case '\t' -> sb.append(attribute ? "&#9;" : "\t");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
