package io.driftwatch.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.policy.AuditResult;
import io.driftwatch.flyway.MigrationStatus;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.OneLine;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Rule;
import io.driftwatch.policy.Severity;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14 part 1: no object name or message text starts a new line in any line-oriented output (console, text,
 * Markdown, JUnit, SARIF): every line terminator (LF, CR, CRLF, VT, FF, NEL, U+2028, U+2029) is escaped as the
 * console does ({@link OneLine}).
 */
class NoForgedLinesTest {

    static final String[] TERMINATORS = {"\n", "\r", "\r\n", "\u000b", "\u000c", "\u0085", "\u2028", "\u2029"};

    static AuditResult result() {
        StringBuilder name = new StringBuilder("t");
        for (String t : TERMINATORS) {
            name.append(t).append("FORGED error DW999 x");
        }
        String n = name.toString();
        ObjectRef table = ObjectRef.of(ObjectKind.TABLE, "public", n);
        ObjectRef column = ObjectRef.child(ObjectKind.COLUMN, "public", n, n);
        return new AuditResult("0.1.0", SampleResults.STARTED, 10, SampleResults.target(), SampleResults.expected(),
                List.of(new Finding(Rule.DW104, Severity.WARNING, table, null, "CREATE TABLE x ()", "table " + n + " is extra"),
                        new Finding(Rule.DW109, Severity.ERROR, column, "text" + n, "integer" + n, "type of " + n + " differs"),
                        new Finding(Rule.DW203, Severity.INFO, ObjectRef.migration(n), null, null, n)),
                SampleResults.flyway(new MigrationStatus(n, n, "SQL", n, "failed", 1, n, n, 1, 2)), Severity.WARNING, List.of(n));
    }

    static void noForgedLine(String what, String text) {
        for (String line : text.split("\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]", -1)) {
            assertFalse(line.stripLeading().startsWith("FORGED"), what + " has a forged line:\n" + text);
        }
    }

    @Test
    void consoleTextAndMarkdownKeepEveryNameOnItsLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ConsoleReporter().print(result(), new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        noForgedLine("console", bytes.toString(StandardCharsets.UTF_8));
        noForgedLine("report.txt", new TextReporter().render(result()));
        String md = new MarkdownReporter().render(result());
        noForgedLine("report.md", md);
        assertTrue(md.contains("t\\\\u000aFORGED error DW999 x\\\\u000dFORGED"), md);
    }

    @Test
    void junitAndSarifTextsShownAsLinesHoldNoTerminator() throws Exception {
        String xml = new JunitReporter().render(result());
        noForgedLine("report.junit.xml", xml.replace("&#10;", "\n").replace("&#13;", "\r"));
        JsonNode sarif = new ObjectMapper().readTree(new SarifReporter().render(result()));
        for (JsonNode r : sarif.at("/runs/0/results")) {
            for (String text : List.of(r.at("/message/text").asText(),
                    r.at("/locations/0/logicalLocations/0/name").asText(),
                    r.at("/locations/0/logicalLocations/0/fullyQualifiedName").asText())) {
                noForgedLine("SARIF", text);
                assertTrue(text.equals(OneLine.of(text)), "SARIF text with a raw control character: " + text);
            }
        }
    }
}
