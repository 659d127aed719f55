package io.driftwatch.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.driftwatch.policy.AuditResult;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Rule;
import io.driftwatch.policy.Severity;
import io.driftwatch.policy.Waiver;
import org.junit.jupiter.api.Test;

import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Waived findings in every report format the policy branch owns: listed and marked with reason and
 * origin, never failing, counted apart; JSON, SARIF and JUnit stay valid against their schemas.
 */
class WaivedReportsTest {

    static final Waiver CONFIG = new Waiver("BI team <owns> it", LocalDate.of(2027, 3, 31), "driftwatch.yaml:14");
    static final Waiver INLINE = new Waiver("hotfix " + SampleResults.HOSTILE, null,
            "comment on table public.orders in the database");

    /** A waived error (inline), a waived warning (config), an expired waiver and an info finding; fail-on warning. */
    static AuditResult waived() {
        Finding error = SampleResults.missingFk().withWaiver(INLINE);
        Finding warning = SampleResults.extraIndex().withWaiver(CONFIG);
        Finding expired = new Finding(Rule.DW401, Severity.WARNING, new ObjectRef(ObjectKind.WAIVER, null, null,
                "driftwatch.yaml:20"), "rule: DW107", "expired on 2020-01-01",
                "waiver driftwatch.yaml:20 (DW107 on public.x) expired on 2020-01-01");
        return new AuditResult("0.1.0", SampleResults.STARTED, 100, SampleResults.target(), SampleResults.expected(),
                List.of(error, warning, expired, SampleResults.pending()), SampleResults.history(), Severity.WARNING,
                List.of());
    }

    /** Only waived drift and an info finding: clean and passing. */
    static AuditResult allWaived() {
        return new AuditResult("0.1.0", SampleResults.STARTED, 100, SampleResults.target(), SampleResults.expected(),
                List.of(SampleResults.missingFk().withWaiver(INLINE), SampleResults.extraIndex().withWaiver(CONFIG),
                        SampleResults.pending()), SampleResults.history(), Severity.WARNING, List.of());
    }

    @Test
    void consoleMarksWaivedFindingsListsThemLastAndCountsThemApart() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ConsoleReporter().print(waived(), new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.get(0).startsWith("warning DW401"), "unwaived first: " + lines);
        assertTrue(lines.get(2).startsWith("error   DW116") && lines.get(2).endsWith(
                "[waived: hotfix <script>alert(\"x\")</script>'&\u00e9\u2603\\u202e (comment on table public.orders in "
                        + "the database)]"), lines.get(2));
        assertTrue(lines.get(3).endsWith("[waived: BI team <owns> it (driftwatch.yaml:14, until 2027-03-31)]"),
                lines.get(3));
        assertEquals("4 findings: 0 errors, 1 warning, 1 info, 2 waived", lines.get(4));
        assertEquals("status: drift, FAILED at --fail-on warning", lines.get(5));

        ByteArrayOutputStream clean = new ByteArrayOutputStream();
        new ConsoleReporter().print(allWaived(), new PrintStream(clean, true, StandardCharsets.UTF_8), false);
        assertTrue(clean.toString(StandardCharsets.UTF_8).contains(
                "3 findings: 0 errors, 0 warnings, 1 info, 2 waived\nstatus: clean, passed at --fail-on warning"),
                clean.toString(StandardCharsets.UTF_8));
        assertTrue(new TextReporter().render(allWaived()).contains("[waived: BI team <owns> it"));
    }

    @Test
    void jsonCarriesTheWaiverAndTheWaivedCountAndStaysValid() throws Exception {
        JsonNode doc = new JsonReporter().toJson(allWaived());
        try (InputStream in = getClass().getResourceAsStream(JsonReporter.SCHEMA_RESOURCE)) {
            Set<ValidationMessage> errors = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in).validate(doc);
            assertTrue(errors.isEmpty(), errors.toString());
        }
        JsonNode summary = doc.get("summary");
        assertEquals(0, summary.get("error").intValue());
        assertEquals(2, summary.get("waived").intValue());
        assertEquals("clean", summary.get("status").textValue());
        assertFalse(summary.get("failed").booleanValue());
        JsonNode fk = doc.get("findings").get(0);
        assertEquals("DW116", fk.get("ruleId").textValue());
        assertTrue(fk.get("waiver").get("inline").booleanValue());
        assertTrue(fk.get("waiver").get("expires").isNull());
        JsonNode idx = doc.get("findings").get(1).get("waiver");
        assertEquals("BI team <owns> it", idx.get("reason").textValue());
        assertEquals("2027-03-31", idx.get("expires").textValue());
        assertEquals("driftwatch.yaml:14", idx.get("origin").textValue());
        assertTrue(doc.get("findings").get(2).get("waiver").isNull());

        JsonNode withWaiverKind = new JsonReporter().toJson(waived());
        try (InputStream in = getClass().getResourceAsStream(JsonReporter.SCHEMA_RESOURCE)) {
            assertTrue(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in)
                    .validate(withWaiverKind).isEmpty(), "a waiver finding (kind waiver) is valid too");
        }
    }

    @Test
    void sarifSuppressesWaivedResultsInSourceOrExternallyAndStaysValid() throws Exception {
        JsonNode log = new ObjectMapper().readTree(new SarifReporter().render(waived()));
        try (InputStream in = getClass().getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
            Set<ValidationMessage> errors = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in)
                    .validate(log);
            assertTrue(errors.isEmpty(), "not valid SARIF 2.1.0: " + errors);
        }
        JsonNode results = log.at("/runs/0/results");
        int suppressed = 0;
        for (JsonNode r : results) {
            JsonNode s = r.get("suppressions");
            switch (r.get("ruleId").textValue()) {
                case "DW116" -> {
                    assertEquals("inSource", s.get(0).get("kind").textValue());
                    assertEquals("accepted", s.get(0).get("status").textValue());
                    suppressed++;
                }
                case "DW101" -> {
                    assertEquals("external", s.get(0).get("kind").textValue());
                    assertEquals("BI team <owns> it", s.get(0).get("justification").textValue());
                    assertEquals("driftwatch.yaml:14", s.get(0).at("/properties/origin").textValue());
                    assertEquals("2027-03-31", s.get(0).at("/properties/expires").textValue());
                    suppressed++;
                }
                default -> assertTrue(s == null, "unwaived results carry no suppression: " + r);
            }
        }
        assertEquals(2, suppressed);
    }

    @Test
    void markdownMarksWaivedFindingsAndCountsThem() {
        String md = new MarkdownReporter().render(allWaived());
        assertTrue(md.startsWith("## \u2705 driftwatch: clean, passed at --fail-on warning"), md);
        assertTrue(md.contains("| warning | 0 |\n| info | 1 |\n| waived | 2 |\n"), md);
        assertTrue(md.contains("\u2014 waived: BI team &lt;owns&gt; it (driftwatch.yaml:14, until 2027-03-31) |"), md);
    }

    @Test
    void junitSkipsWaivedObjectsAndStaysValid() throws Exception {
        String xml = new JunitReporter().render(waived());
        SchemaFactory sf = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        try (InputStream xsd = getClass().getResourceAsStream("/junit/junit-10.xsd")) {
            sf.newSchema(new StreamSource(xsd)).newValidator().validate(new StreamSource(new StringReader(xml)));
        }
        assertTrue(xml.contains("skipped=\"2\""), xml);
        assertTrue(xml.contains("<skipped message=\"waived: BI team &lt;owns&gt; it (driftwatch.yaml:14, until 2027-03-31)\"/>"),
                xml);
        assertTrue(xml.contains("<failure message=\"waiver driftwatch.yaml:20"), "the expired waiver fails: " + xml);
        assertFalse(xml.contains("type=\"DW116\""), "a waived error is no failure: " + xml);
        assertTrue(xml.contains("1 finding at or above --fail-on warning"), xml);
        assertTrue(xml.contains("failures=\"2\""), "the DW401 case and the summary case: " + xml);
    }
}
