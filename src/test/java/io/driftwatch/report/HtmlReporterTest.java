package io.driftwatch.report;

import io.driftwatch.audit.AuditResult;
import io.driftwatch.policy.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReporterTest {

    private final HtmlReporter reporter = new HtmlReporter();

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    private static List<String> all(Pattern p, String html) {
        List<String> found = new ArrayList<>();
        Matcher m = p.matcher(html);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    @Test
    void cleanReportSaysClean() throws IOException {
        String html = reporter.render(SampleResults.clean());
        assertTrue(html.startsWith("<!DOCTYPE html>"), html.substring(0, 40));
        assertTrue(html.contains("<section id=\"status\" class=\"banner clean passed\" role=\"status\">"));
        assertTrue(html.contains("Clean: no drift found"));
        assertTrue(html.contains("Passes --fail-on error"));
        assertTrue(html.contains("No findings: the database matches the migrations."));
        assertEquals(0, count(html, "<article"));
        assertTrue(html.contains("<dd><code>postgresql://auditor@db.example:5432/shop</code></dd>"));
        assertTrue(html.contains("<dd>PostgreSQL 16.4</dd>"));
        assertTrue(html.contains("<time datetime=\"2024-05-01T10:15:30Z\">2024-05-01 10:15:30 UTC</time>"));
        assertTrue(html.contains("<dd>1.2 s</dd>"));
        assertTrue(html.contains("<dd>local initdb (PostgreSQL 16.4, /usr/lib/postgresql/16/bin)</dd>"));
        assertFalse(html.contains("id=\"notes\""));
    }

    @Test
    void findingsAreGroupedBySeverityThenObjectWithExpectedAndActual() throws IOException {
        String html = reporter.render(SampleResults.everySeverity());
        assertTrue(html.contains("class=\"banner drift failed\""));
        assertTrue(html.contains("Fails at --fail-on error"));
        assertTrue(html.contains("<span class=\"pill error\">3 error</span> <span class=\"pill warning\">1 warning</span>"
                + " <span class=\"pill info\">1 info</span>"));
        assertEquals(List.of("error", "warning", "info"),
                all(Pattern.compile("<details class=\"sev sev-(\\w+)\" open>"), html));
        assertEquals(List.of("2", "billing.invoices.amount", "public.orders.orders_customer_id_fkey",
                        "public.orders.orders_note_idx", "5"),
                all(Pattern.compile("<summary><span class=\"kind\">[^<]*</span><code>([^<]*)</code>"), html));
        assertTrue(html.contains("<summary>Errors <span class=\"pill error\">3</span></summary>"));
        assertTrue(html.contains("<summary>Info <span class=\"pill info\">1</span></summary>"));
        assertEquals(4, count(html, "<div class=\"cmp\">"), "no comparison when both sides are null");
        assertEquals(List.of("DW201", "DW109", "DW116", "DW101", "DW203"),
                all(Pattern.compile("<span class=\"rule\">(\\w+)</span>"), html));
        assertTrue(html.contains("<span class=\"slug\" title=\"Constraint a migration creates is missing (e.g. a dropped foreign key)\">"
                + "missing-constraint</span><span class=\"msg\">foreign key public.orders.orders_customer_id_fkey is missing</span>"));
        assertTrue(html.contains("<div class=\"side expected\"><div class=\"label\">Expected (migrations)</div>"
                + "<pre>numeric(12,2)</pre></div>\n        <div class=\"side actual\"><div class=\"label\">Actual (database)</div>"
                + "<pre>numeric(10,2)</pre></div>"));
        assertTrue(html.contains("<pre>FOREIGN KEY (customer_id) REFERENCES customers(id)</pre></div>\n"
                + "        <div class=\"side actual\"><div class=\"label\">Actual (database)</div>"
                + "<pre class=\"absent\">absent from the database</pre>"));
        assertEquals(List.of("bad", "bad", "bad", "pending", "pending"),
                all(Pattern.compile("<tr class=\"(\\w+)\">"), html));
        assertEquals(4, count(html, " mismatch\">"), "two rows with differing checksums, two cells each");
        assertTrue(html.contains("<li>target is PostgreSQL 16.4, shadow 16.4</li>"));
        assertTrue(html.contains("<dd>1 min 23 s</dd>"));
    }

    @Test
    void belowTheThresholdTheBannerSaysPasses() throws IOException {
        AuditResult r = new AuditResult("0.1.0", SampleResults.STARTED, 5, SampleResults.target(),
                SampleResults.expected(), List.of(SampleResults.extraIndex()), List.of(), Severity.ERROR, List.of());
        String html = reporter.render(r);
        assertTrue(html.contains("class=\"banner drift passed\""));
        assertTrue(html.contains("Passes --fail-on error"));
        AuditResult never = new AuditResult("0.1.0", SampleResults.STARTED, 5, SampleResults.target(),
                SampleResults.expected(), List.of(SampleResults.missingFk()), List.of(), null, List.of());
        assertTrue(reporter.render(never).contains("Never fails (--fail-on never)"));
    }

    @Test
    void hostileNamesAreEscapedEverywhere() throws IOException {
        String html = reporter.render(SampleResults.hostile());
        assertEquals(2, count(html, "<script"), "only the report's own two scripts");
        assertEquals(2, count(html, "</script>"));
        assertFalse(html.contains("alert(\"x\")"));
        assertFalse(html.contains("<b>"));
        assertTrue(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;\u00e9\u2603\\u202e"));
        assertFalse(html.contains("\u202e"), "bidi override shown as an escape, never raw");
        assertFalse(html.contains("\u001b"), "ESC shown as an escape, never raw");
        assertTrue(html.contains("<pre>integer \\u001b[31mred\\u001b[0m\nsecond line</pre>"));
        assertTrue(html.contains("<pre>text /* &lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt; */</pre>"));
        assertTrue(html.contains("16.4&lt;/title&gt;&lt;script&gt;x()&lt;/script&gt;"));
        assertFalse(html.contains("s3cret"));
        assertFalse(html.contains("hunter2"));
        assertTrue(html.contains("postgresql://auditor:***@db/"));
    }

    @Test
    void gateReportsShowTheRehearsalWithHostileTextEscaped() throws IOException {
        String html = reporter.render(SampleResults.gated());
        assertTrue(html.contains("Rehearsal of the pending migrations"));
        assertTrue(html.contains("<td class=\"mono\">V6__idx.sql</td><td><span class=\"state\">failed</span>"), html);
        assertTrue(html.contains("Drift breaks it"));
        assertTrue(html.contains("<li class=\"mono\">AddColumn public.orders.note</li>"));
        assertTrue(html.contains("<span class=\"state\">not run</span>"));
        assertEquals(2, count(html, "<script"), "the failing statement's text is escaped, not run");
        assertTrue(html.contains("CREATE INDEX &lt;/pre&gt;&lt;script&gt;x()&lt;/script&gt; ON orders (note)"));
        assertFalse(reporter.render(SampleResults.everySeverity()).contains("Rehearsal of"), "an audit has no rehearsal");
    }

    @Test
    void pageIsSelfContainedAndItsScriptsMatchTheContentSecurityPolicy() throws IOException, NoSuchAlgorithmException {
        String html = reporter.render(SampleResults.many(50));
        assertFalse(Pattern.compile("(?i)\\b(src|href)\\s*=").matcher(html).find(), "no external resources");
        assertFalse(html.contains("url("));
        assertFalse(html.contains("@import"));
        assertFalse(Pattern.compile("https?://").matcher(html).find());
        Matcher csp = Pattern.compile("<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\">").matcher(html);
        assertTrue(csp.find());
        String policy = csp.group(1).replace("&#39;", "'");
        assertTrue(policy.startsWith("default-src 'none'; style-src 'unsafe-inline';"), policy);
        List<String> scripts = all(Pattern.compile("(?s)<script>(.*?)</script>"), html);
        assertEquals(2, scripts.size());
        for (String script : scripts) {
            String hash = Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8)));
            assertTrue(policy.contains("'sha256-" + hash + "'"), "script hash missing from " + policy);
        }
    }

    @Test
    void manyFindingsStartWithObjectSectionsCollapsed() throws IOException {
        String few = reporter.render(SampleResults.everySeverity());
        assertEquals(5, count(few, "<details class=\"obj\" open>"));
        String many = reporter.render(SampleResults.many(HtmlReporter.OPEN_OBJECTS_UP_TO + 1));
        assertEquals(0, count(many, "<details class=\"obj\" open>"));
        assertEquals(HtmlReporter.OPEN_OBJECTS_UP_TO + 1 + 3, count(many, "<article class=\"finding\">"));
    }

    @Test
    void writeIsAtomicAndKeepsTheOldReportOnFailure(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("report.html");
        reporter.write(SampleResults.everySeverity(), file);
        String written = Files.readString(file, StandardCharsets.UTF_8);
        assertEquals(reporter.render(SampleResults.everySeverity()), written);
        AuditResult broken = new AuditResult("0.1.0", SampleResults.STARTED, 1, null, SampleResults.expected(),
                List.of(), List.of(), Severity.ERROR, List.of());
        assertThrows(NullPointerException.class, () -> reporter.write(broken, file));
        assertEquals(written, Files.readString(file, StandardCharsets.UTF_8));
        assertEquals(List.of(file), Files.list(dir).toList());
    }

    @Test
    void durationsReadNaturally() {
        assertEquals("850 ms", HtmlReporter.duration(850));
        assertEquals("3.4 s", HtmlReporter.duration(3_449));
        assertEquals("2 min 05 s", HtmlReporter.duration(125_000));
    }
}
