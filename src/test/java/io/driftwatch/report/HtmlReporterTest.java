package io.driftwatch.report;

import io.driftwatch.policy.AuditResult;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Rule;
import io.driftwatch.policy.Severity;
import io.driftwatch.policy.Waiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.time.LocalDate;
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
    void findingsAreGroupedBySeverityThenTableWithExpectedAndActual() throws IOException {
        String html = reporter.render(SampleResults.everySeverity());
        assertTrue(html.contains("class=\"banner drift failed\""));
        assertTrue(html.contains("Fails at --fail-on error"));
        assertTrue(html.contains("<span class=\"pill error\">3 error</span> <span class=\"pill warning\">1 warning</span>"
                + " <span class=\"pill info\">1 info</span></span>"), "no waived pill without waivers");
        assertEquals(List.of("error", "warning", "info"),
                all(Pattern.compile("<details class=\"sev sev-(\\w+)\" data-sev=\"\\w+\" open>"), html));
        // errors: the version table, then billing.invoices (a column), then public.orders (a constraint)
        assertEquals(List.of("version table", "billing.invoices", "public.orders", "public.orders", "version table"),
                all(Pattern.compile("<details class=\"obj\" open><summary>(?:<span class=\"kind\">[^<]*</span>)?<code>([^<]*)</code>"), html));
        assertTrue(html.contains("<summary>Errors <span class=\"pill error\">3</span> <span class=\"n\">in 3 tables and objects</span></summary>"));
        assertTrue(html.contains("<summary>Info <span class=\"pill info\">1</span> <span class=\"n\">in 1 table or object</span></summary>"));
        assertEquals(4, count(html, "<div class=\"cmp\">"), "no comparison when both sides are null");
        assertEquals(List.of("DW201", "DW109", "DW116", "DW101", "DW203"),
                all(Pattern.compile("<a class=\"rule\" href=\"#rule-(\\w+)\">\\w+</a>"), html));
        assertTrue(html.contains("<a class=\"rule\" href=\"#rule-DW116\">DW116</a><span class=\"slug\">missing-constraint</span>"
                + "<span class=\"what\">constraint orders_customer_id_fkey</span>"
                + "<span class=\"msg\">foreign key public.orders.orders_customer_id_fkey is missing</span></div>"));
        assertTrue(html.contains("<span class=\"what\">migration 2</span>"));
        assertTrue(html.contains("<div class=\"cmp\"><div class=\"exp\"><small>Expected (migrations)</small>"
                + "<pre>numeric(12,2)</pre></div><div class=\"act\"><small>Actual (database)</small><pre>numeric(10,2)</pre></div></div>"));
        assertTrue(html.contains("<pre>FOREIGN KEY (customer_id) REFERENCES customers(id)</pre></div>"
                + "<div class=\"act\"><small>Actual (database)</small><pre class=\"absent\">absent from the database</pre>"));
        assertEquals(List.of("DW101", "DW109", "DW116", "DW201", "DW203"),
                all(Pattern.compile("<tr id=\"rule-(\\w+)\">"), html), "every rule that fired has a row the ids link to");
        assertTrue(html.contains("<tr id=\"rule-DW116\"><td class=\"mono\">DW116</td><td class=\"mono\">missing-constraint</td>"
                + "<td>error</td><td>Constraint a migration creates is missing (e.g. a dropped foreign key)"));
        String row = html.substring(html.indexOf("<tr id=\"rule-DW116\">"), html.indexOf("</tr>", html.indexOf("<tr id=\"rule-DW116\">")));
        assertTrue(row.contains("<td class=\"num\">1</td><td class=\"num\">0</td>"), row);
        assertEquals(!Rule.DW116.description().isBlank() || !Rule.DW116.fix().isBlank(), row.contains("About this rule"),
                "the 'about' part exactly when the catalog has text: " + row);
        assertEquals(List.of("bad", "bad", "bad", "pending", "pending"),
                all(Pattern.compile("<tr class=\"(\\w+)\">"), html));
        assertEquals(4, count(html, " mismatch\">"), "two rows with differing checksums, two cells each");
        assertTrue(html.contains("<li>target is PostgreSQL 16.4, shadow 16.4</li>"));
        assertTrue(html.contains("<dd>1 min 23 s</dd>"));
    }

    @Test
    void belowTheThresholdTheBannerSaysPasses() throws IOException {
        AuditResult r = new AuditResult("0.1.0", SampleResults.STARTED, 5, SampleResults.target(),
                SampleResults.expected(), List.of(SampleResults.extraIndex()), io.driftwatch.model.HistoryState.none(), Severity.ERROR, List.of());
        String html = reporter.render(r);
        assertTrue(html.contains("class=\"banner drift passed\""));
        assertTrue(html.contains("Passes --fail-on error"));
        AuditResult never = new AuditResult("0.1.0", SampleResults.STARTED, 5, SampleResults.target(),
                SampleResults.expected(), List.of(SampleResults.missingFk()), io.driftwatch.model.HistoryState.none(), null, List.of());
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
        assertFalse(Pattern.compile("(?i)\\b(src|href)\\s*=\\s*\"?[^\"#]").matcher(html).find(), "no external resources");
        assertTrue(html.contains("href=\"#rule-DW107\""), "links within the page only");
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
                List.of(), io.driftwatch.model.HistoryState.none(), Severity.ERROR, List.of());
        assertThrows(NullPointerException.class, () -> reporter.write(broken, file));
        assertEquals(written, Files.readString(file, StandardCharsets.UTF_8));
        assertEquals(List.of(file), Files.list(dir).toList());
    }

    @Test
    void waivedFindingsStayVisibleMarkedWithReasonOriginAndExpiryAndCountApart() throws IOException {
        Waiver waiver = new Waiver("reporting replica needs it", LocalDate.of(2030, 6, 30), "driftwatch.yaml:14");
        AuditResult r = new AuditResult("0.1.0", SampleResults.STARTED, 5, SampleResults.target(), SampleResults.expected(),
                List.of(SampleResults.extraIndex().withWaiver(waiver), SampleResults.missingFk(),
                        SampleResults.typeChanged().withWaiver(new Waiver("ticket DBA-7", null, "comment on table billing.invoices"))),
                io.driftwatch.model.HistoryState.none(), Severity.WARNING, List.of());
        String html = reporter.render(r);
        assertTrue(html.contains("<span class=\"pill error\">1 error</span> <span class=\"pill warning zero\">0 warning</span>"
                + " <span class=\"pill info zero\">0 info</span> <span class=\"pill waived\" title=\"accepted by a waiver: shown,"
                + " never failing\">2 waived</span>"), "failing counts leave waived findings out");
        assertTrue(html.contains("<summary>Warnings <span class=\"pill warning\">0</span> <span class=\"pill waived\">1 waived</span>"));
        assertTrue(html.contains("<summary>Errors <span class=\"pill error\">1</span> <span class=\"pill waived\">1 waived</span>"));
        assertEquals(2, count(html, "<article class=\"finding waived\">"));
        assertEquals(1, count(html, "<article class=\"finding\">"));
        assertTrue(html.contains("<span class=\"msg\">index public.orders.orders_note_idx exists in the database but in no migration</span>"
                + "<span class=\"badge\">waived</span></div>\n<p class=\"waiver\">Waived: reporting replica needs it"
                + " <span class=\"origin\">(driftwatch.yaml:14, until 2030-06-30)</span></p>"));
        assertTrue(html.contains("Waived: ticket DBA-7 <span class=\"origin\">(comment on table billing.invoices, no expiry)</span>"));
        assertTrue(html.contains("<code>public.orders</code><span class=\"n\">1 finding, 1 waived</span>"));
        assertTrue(html.contains("<label><input type=\"checkbox\" id=\"hide-waived\"> hide waived</label>"));
        assertFalse(reporter.render(SampleResults.everySeverity()).contains("id=\"hide-waived\""), "no toggle without waivers");
    }

    @Test
    void hostileWaiverTextIsEscaped() throws IOException {
        AuditResult r = new AuditResult("0.1.0", SampleResults.STARTED, 5, SampleResults.target(), SampleResults.expected(),
                List.of(SampleResults.missingFk().withWaiver(new Waiver(SampleResults.HOSTILE, null, SampleResults.HOSTILE))),
                io.driftwatch.model.HistoryState.none(), Severity.ERROR, List.of());
        String html = reporter.render(r);
        assertEquals(2, count(html, "<script"));
        assertFalse(html.contains("\u202e"));
        assertTrue(html.contains("Waived: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;\u00e9\u2603\\u202e"
                + " <span class=\"origin\">(&lt;script&gt;"));
    }

    @Test
    void ruleDescriptionAndFixAreReachableFromEveryFinding() throws IOException {
        String html = reporter.render(ScaleResults.audit(100));
        assertEquals(10, count(html, "href=\"#rule-ACME001\""), "every 10th finding is the custom rule");
        assertTrue(html.contains("<tr id=\"rule-ACME001\"><td class=\"mono\">ACME001</td><td class=\"mono\">float-money</td>"
                + "<td>warning</td><td>Money column stored as a floating-point type<details class=\"about\"><summary>About this rule</summary>"
                + "<p class=\"text\">Floating-point types round; amounts drift by cents when summed.</p>"
                + "<p class=\"text\"><strong>Fix:</strong> ALTER TABLE ... ALTER COLUMN ... TYPE numeric(12,2) in a new migration.</p>"
                + "</details></td><td class=\"num\">10</td><td class=\"num\">0</td>"));
        assertTrue(html.contains("<tr id=\"rule-DW110\">"));
        assertTrue(Pattern.compile("<tr id=\"rule-DW110\">.*?<td class=\"num\">0</td><td class=\"num\">10</td>").matcher(html).find(),
                "DW110 findings (i % 10 == 3) are all waived");
    }

    @Test
    void columnsIndexesAndConstraintsGroupUnderTheirTableAndTheTableFindingJoinsThem() throws IOException {
        ObjectRef table = ObjectRef.of(ObjectKind.TABLE, "app", "orders");
        AuditResult r = new AuditResult("0.1.0", SampleResults.STARTED, 5, SampleResults.target(), SampleResults.expected(),
                List.of(new Finding(Rule.DW106, Severity.ERROR, table, "UNLOGGED", "LOGGED", "table app.orders changed"),
                        new Finding(Rule.DW109, Severity.ERROR, ObjectRef.child(ObjectKind.COLUMN, "app", "orders", "total"),
                                "numeric", "real", "column app.orders.total type differs"),
                        new Finding(Rule.DW102, Severity.ERROR, ObjectRef.child(ObjectKind.INDEX, "app", "orders", "orders_idx"),
                                "CREATE INDEX", null, "index app.orders.orders_idx is missing"),
                        new Finding(Rule.DW145, Severity.ERROR, ObjectRef.of(ObjectKind.FUNCTION, "app", "orders(integer)"),
                                "f", null, "function app.orders(integer) is missing"),
                        new Finding(Rule.DW109, Severity.ERROR, ObjectRef.child(ObjectKind.COLUMN, "app", "lines", "qty"),
                                "integer", "bigint", "column app.lines.qty type differs")),
                io.driftwatch.model.HistoryState.none(), Severity.ERROR, List.of());
        String html = reporter.render(r);
        assertEquals(List.of("|app.lines|1 finding", "table|app.orders|3 findings", "function|app.orders(integer)|1 finding"),
                all(Pattern.compile("<details class=\"obj\" open><summary>((?:<span class=\"kind\">[^<]*</span>)?<code>[^<]*</code>"
                        + "<span class=\"n\">[^<]*)</span>"), html).stream()
                        .map(s -> s.replace("<span class=\"kind\">", "").replace("</span><code>", "|").replace("<code>", "|")
                                .replace("</code><span class=\"n\">", "|"))
                        .toList());
        assertEquals(List.of("table", "index orders_idx", "column total"),
                all(Pattern.compile("<span class=\"what\">([^<]*)</span>"), html).subList(1, 4));
    }

    @Test
    void tenThousandFindingsAreGroupedPerTableAndStartCollapsed() throws IOException {
        String html = reporter.render(ScaleResults.audit(10_000));
        assertEquals(10_003, count(html, "<article class=\"finding"));
        assertEquals(1_000, count(html, "<article class=\"finding waived\">"));
        assertEquals(0, count(html, "<details class=\"obj\" open>"), "per-table groups start collapsed");
        // 2,000 tables, each with errors and warnings: one error group and one warning group per table
        assertEquals(4_000, count(html, "<details class=\"obj\"><summary><code>tenant_"), "an error and a warning group per table");
        int errorsStart = html.indexOf("<details class=\"sev sev-error\"");
        int warningsStart = html.indexOf("<details class=\"sev sev-warning\"");
        String errors = html.substring(errorsStart, warningsStart);
        assertEquals(2_001, count(errors, "<details class=\"obj\">"), "2,000 tables and the hostile column's table");
        // table t_0000: findings 0..4, errors are DW108, DW109, DW110 (index 3, waived)
        assertTrue(errors.contains("<code>tenant_0.t_0000</code><span class=\"n\">3 findings, 1 waived</span>"));
        assertTrue(html.contains("<summary>Errors <span class=\"pill error\">4001</span> <span class=\"pill waived\">1000 waived</span>"
                + " <span class=\"n\">in 2001 tables and objects</span></summary>"), "5,000 generated errors (1,000 of them waived) + 1 hostile");
    }

    @Test
    void generationStreamsInSmallPiecesInsteadOfBuildingThePageInMemory(@TempDir Path dir) throws IOException {
        AuditResult big = ScaleResults.audit(10_000);
        class Recording extends Writer {
            long chars;
            int writes;
            int largest;

            @Override
            public void write(char[] buf, int off, int len) {
                chars += len;
                writes++;
                largest = Math.max(largest, len);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        }
        Recording out = new Recording();
        long t0 = System.nanoTime();
        reporter.write(big, out);
        long streamMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(out.chars > 4_000_000, "a 10,000-finding page is megabytes: " + out.chars);
        assertTrue(out.writes > 10_000, "written piece by piece: " + out.writes);
        assertTrue(out.largest < 32 * 1024, "no piece is the whole page (largest " + out.largest + " chars)");

        Path file = dir.resolve("report.html");
        t0 = System.nanoTime();
        reporter.write(big, file);
        long fileMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(out.chars, Files.readString(file, StandardCharsets.UTF_8).length());
        System.out.printf("html report, 10,003 findings: %d chars, %d bytes; streamed in %d ms, to a file in %d ms%n",
                out.chars, Files.size(file), streamMs, fileMs);
        StringWriter small = new StringWriter();
        reporter.write(SampleResults.everySeverity(), small);
        assertEquals(reporter.render(SampleResults.everySeverity()), small.toString());
    }

    @Test
    void durationsReadNaturally() {
        assertEquals("850 ms", HtmlReporter.duration(850));
        assertEquals("3.4 s", HtmlReporter.duration(3_449));
        assertEquals("2 min 05 s", HtmlReporter.duration(125_000));
    }
}
