package io.driftwatch.report;

import io.driftwatch.policy.AuditResult;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleReporterTest {

    private static List<String> print(ConsoleReporter reporter, AuditResult r, boolean color) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        reporter.print(r, out, color);
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void oneAlignedLinePerFindingMostSevereFirst() {
        assertEquals(List.of(
                "error   DW201 checksum-mismatch    2                                      migration 2 (orders) was edited after it was applied",
                "error   DW109 column-type-changed  billing.invoices.amount                column billing.invoices.amount type differs",
                "error   DW116 missing-constraint   public.orders.orders_customer_id_fkey  foreign key public.orders.orders_customer_id_fkey is missing",
                "warning DW101 extra-index          public.orders.orders_note_idx          index public.orders.orders_note_idx exists in the database but in no migration",
                "info    DW203 pending-migration    5                                      migration 5 (next) is pending",
                "5 findings: 3 errors, 1 warning, 1 info",
                "status: drift, FAILED at --fail-on error"),
                print(new ConsoleReporter(), SampleResults.everySeverity(), false));
    }

    @Test
    void cleanAuditPrintsOnlyTotalsAndStatus() {
        assertEquals(List.of("0 findings: 0 errors, 0 warnings, 0 info", "status: clean, passed at --fail-on error"),
                print(new ConsoleReporter(), SampleResults.clean(), false));
    }

    @Test
    void failOnNeverAndOneFinding() {
        AuditResult r = new AuditResult("0.1.0", SampleResults.STARTED, 1, SampleResults.target(),
                SampleResults.expected(), List.of(SampleResults.extraIndex()), io.driftwatch.model.HistoryState.none(), null, List.of());
        List<String> lines = print(new ConsoleReporter(), r, false);
        assertEquals(List.of(
                "warning DW101 extra-index  public.orders.orders_note_idx  index public.orders.orders_note_idx exists in the database but in no migration",
                "1 finding: 0 errors, 1 warning, 0 info",
                "status: drift, passed (--fail-on never)"), lines);
    }

    @Test
    void longListsAreCutWithAPointerToTheFullReport() {
        List<String> lines = print(new ConsoleReporter(2, "out/report.html"), SampleResults.everySeverity(), false);
        assertEquals(List.of(
                "error   DW201 checksum-mismatch    2                        migration 2 (orders) was edited after it was applied",
                "error   DW109 column-type-changed  billing.invoices.amount  column billing.invoices.amount type differs",
                "\u2026 and 3 more (see out/report.html)",
                "5 findings: 3 errors, 1 warning, 1 info",
                "status: drift, FAILED at --fail-on error"), lines);

        List<String> many = print(new ConsoleReporter(), SampleResults.many(1000), false);
        assertEquals(30 + 3, many.size());
        assertEquals("\u2026 and 973 more (see report.html)", many.get(30));
        assertEquals("1003 findings: 251 errors, 501 warnings, 251 info", many.get(31));
    }

    @Test
    void colourOnlyWhenAsked() {
        List<String> plain = print(new ConsoleReporter(), SampleResults.everySeverity(), false);
        assertFalse(String.join("\n", plain).contains("\u001b"));
        List<String> coloured = print(new ConsoleReporter(), SampleResults.everySeverity(), true);
        assertTrue(coloured.get(0).startsWith("\u001b[1m\u001b[31merror   \u001b[0mDW201 checksum-mismatch"), coloured.get(0));
        assertTrue(coloured.get(3).startsWith("\u001b[33mwarning \u001b[0mDW101"), coloured.get(3));
        assertTrue(coloured.get(4).startsWith("\u001b[36minfo    \u001b[0mDW203"), coloured.get(4));
        assertEquals("status: \u001b[1m\u001b[33mdrift\u001b[0m, \u001b[1m\u001b[31mFAILED at --fail-on error\u001b[0m",
                coloured.get(6));
    }

    @Test
    void hostileNamesCannotInjectTerminalControls() {
        List<String> lines = print(new ConsoleReporter(), SampleResults.hostile(), false);
        String all = String.join("\n", lines);
        assertFalse(all.contains("\u001b"), "raw ESC leaked");
        assertFalse(all.contains("\u202e"), "raw bidi override leaked");
        assertEquals(5, lines.size(), "a newline inside a value must not add lines");
        assertTrue(lines.get(0).endsWith("differs\\u001b[2J"), lines.get(0));
        assertTrue(lines.get(0).startsWith("error   DW109 column-type-changed  public.\"<script>alert(\"\"x\"\")</script>'&\u00e9\u2603\\u202e\"."),
                lines.get(0));
    }

    @Test
    void rejectsANonPositiveLimit() {
        assertThrows(IllegalArgumentException.class, () -> new ConsoleReporter(0, "report.html"));
    }
}
