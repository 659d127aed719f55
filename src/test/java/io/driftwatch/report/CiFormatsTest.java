package io.driftwatch.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.driftwatch.policy.AuditResult;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Rule;
import io.driftwatch.policy.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CI report formats: SARIF, JUnit XML, Markdown and text, each checked against what its consumers need. */
class CiFormatsTest {

    private final ObjectMapper mapper = new ObjectMapper();

    // ---------------------------------------------------------------- SARIF

    private static JsonSchema sarifSchema() throws Exception {
        try (InputStream in = CiFormatsTest.class.getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
            assertNotNull(in, "bundled SARIF schema missing");
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
    }

    private static void assertValidSarif(JsonNode log) throws Exception {
        Set<ValidationMessage> errors = sarifSchema().validate(log);
        assertTrue(errors.isEmpty(), "not valid SARIF 2.1.0: " + errors);
    }

    @Test
    void sarifOfEverySeverityIsValidAndComplete() throws Exception {
        AuditResult result = SampleResults.everySeverity();
        JsonNode log = mapper.readTree(new SarifReporter().render(result));
        assertValidSarif(log);
        assertEquals("2.1.0", log.get("version").textValue());
        assertEquals(SarifReporter.SCHEMA_URI, log.get("$schema").textValue());
        assertEquals(1, log.get("runs").size());
        JsonNode driver = log.at("/runs/0/tool/driver");
        assertEquals("driftwatch", driver.get("name").textValue());
        assertEquals("0.1.0", driver.get("version").textValue());
        List<String> ruleIds = new ArrayList<>();
        driver.get("rules").forEach(r -> ruleIds.add(r.get("id").textValue()));
        assertEquals(List.of("DW201", "DW109", "DW116", "DW101", "DW203"), ruleIds, "each used rule once, in report order");
        JsonNode dw101 = driver.get("rules").get(3);
        assertEquals("extra-index", dw101.get("name").textValue());
        assertEquals(Rule.DW101.title(), dw101.at("/shortDescription/text").textValue());
        assertEquals("warning", dw101.at("/defaultConfiguration/level").textValue());
        assertEquals(Rule.DW101.see(), dw101.get("helpUri").textValue(), "helpUri is the rule's reference");
        assertTrue(dw101.at("/fullDescription/text").textValue().startsWith("An index exists in the live database"));
        assertEquals(Rule.DW101.description(), dw101.at("/fullDescription/markdown").textValue());
        assertTrue(dw101.at("/help/text").textValue().contains("CREATE INDEX CONCURRENTLY IF NOT EXISTS"));
        assertFalse(dw101.at("/help/text").textValue().contains("`"), "help.text is plain text");
        assertTrue(dw101.at("/help/markdown").textValue().startsWith("**Fix:** " + Rule.DW101.fix()));
        assertTrue(dw101.at("/help/markdown").textValue().endsWith("(" + SarifReporter.RULES_URI + "#dw101-extra-index)"));
        JsonNode dw201 = driver.get("rules").get(0);
        assertTrue(Rule.DW201.see().isEmpty(), "fixture: a rule without a reference URL");
        assertEquals(SarifReporter.RULES_URI + "#dw201-checksum-mismatch", dw201.get("helpUri").textValue());
        assertTrue(SarifReporter.RULES_URI.endsWith("/docs/rules.md"), SarifReporter.RULES_URI);
        assertEquals("note", driver.get("rules").get(4).at("/defaultConfiguration/level").textValue());

        JsonNode results = log.at("/runs/0/results");
        assertEquals(5, results.size());
        for (JsonNode r : results) {
            assertEquals(r.get("ruleId").textValue(), ruleIds.get(r.get("ruleIndex").intValue()), "ruleIndex points at its rule");
        }
        JsonNode fk = results.get(2);
        assertEquals("DW116", fk.get("ruleId").textValue());
        assertEquals("error", fk.get("level").textValue());
        assertEquals("foreign key public.orders.orders_customer_id_fkey is missing", fk.at("/message/text").textValue());
        assertEquals("public.orders.orders_customer_id_fkey",
                fk.at("/locations/0/logicalLocations/0/fullyQualifiedName").textValue());
        assertEquals("constraint", fk.at("/locations/0/logicalLocations/0/kind").textValue());
        assertTrue(fk.at("/locations/0/physicalLocation").isMissingNode(), "no script for a live object");
        assertEquals("note", results.get(4).get("level").textValue());
    }

    @Test
    void sarifPointsHistoryAndGateFindingsAtTheirScript(@TempDir Path work) throws Exception {
        Path scripts = work.resolve("db/migration/sub dir");
        Files.createDirectories(scripts);
        Files.writeString(scripts.resolve("V2__orders.sql"), "select 1;");
        Files.writeString(scripts.resolve("V6__idx.sql"), "select 1;");
        AuditResult gated = SampleResults.gated();
        AuditResult result = new AuditResult(gated.toolVersion(), gated.startedAt(), 1, gated.target(),
                new AuditResult.Expected(List.of("classpath:db/nothing", "filesystem:" + work.resolve("db/migration")),
                        "public.flyway_schema_history", "shadow", 2, 2, 1),
                gated.findings(), gated.history(), gated.failOn(), gated.notes(), gated.rehearsal());
        JsonNode log = mapper.readTree(new SarifReporter(work).render(result));
        assertValidSarif(log);
        String checksumUri = null;
        String gateUri = null;
        for (JsonNode r : log.at("/runs/0/results")) {
            String uri = r.at("/locations/0/physicalLocation/artifactLocation/uri").asText(null);
            if (r.get("ruleId").textValue().equals("DW201")) {
                checksumUri = uri;
            } else if (r.get("ruleId").textValue().equals("DW302")) {
                gateUri = uri;
            } else if (r.get("ruleId").textValue().equals("DW203")) {
                assertNull(uri, "V5__next.sql is not on disk: no physical location");
            }
        }
        assertEquals("db/migration/sub%20dir/V2__orders.sql", checksumUri);
        assertEquals("db/migration/sub%20dir/V6__idx.sql", gateUri);
    }

    @Test
    void sarifOfHostileAndCleanResultsIsValid() throws Exception {
        String hostile = new SarifReporter().render(SampleResults.hostile());
        assertValidSarif(mapper.readTree(hostile));
        assertFalse(hostile.contains("hunter2") || hostile.contains("s3cret"), "password leaked: " + hostile);
        JsonNode hostileLog = mapper.readTree(hostile);
        assertEquals(3, hostileLog.at("/runs/0/results").size());
        JsonNode clean = mapper.readTree(new SarifReporter().render(SampleResults.clean()));
        assertValidSarif(clean);
        assertEquals(0, clean.at("/runs/0/results").size());
        assertEquals(0, clean.at("/runs/0/tool/driver/rules").size());
    }

    @Test
    void bundledSarifSchemaRejectsWhatIsNotSarif() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode log = new SarifReporter().toJson(SampleResults.everySeverity());
        ((com.fasterxml.jackson.databind.node.ObjectNode) log.at("/runs/0/results/0")).put("level", "critical");
        ((com.fasterxml.jackson.databind.node.ObjectNode) log.at("/runs/0/tool/driver")).remove("name");
        log.put("version", "2.0.0");
        Set<ValidationMessage> errors = sarifSchema().validate(log);
        String all = errors.toString();
        assertTrue(all.contains("level") && all.contains("name") && all.contains("version"), all);
    }

    @Test
    void sarifIsWrittenToAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("out/report.sarif");
        new SarifReporter().write(SampleResults.everySeverity(), file);
        assertValidSarif(mapper.readTree(file.toFile()));
    }

    // ---------------------------------------------------------------- JUnit

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(false);
        DocumentBuilder b = f.newDocumentBuilder();
        return b.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertValidJunit(String xml) throws Exception {
        SchemaFactory sf = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        try (InputStream xsd = CiFormatsTest.class.getResourceAsStream("/junit/junit-10.xsd")) {
            assertNotNull(xsd, "bundled JUnit XSD missing");
            sf.newSchema(new StreamSource(xsd)).newValidator().validate(new StreamSource(new StringReader(xml)));
        }
    }

    private static List<Element> elements(Document d, String tag) {
        NodeList nodes = d.getElementsByTagName(tag);
        List<Element> list = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add((Element) nodes.item(i));
        }
        return list;
    }

    @Test
    void junitHasOneCasePerObjectFailingAtTheThreshold() throws Exception {
        String xml = new JunitReporter().render(SampleResults.everySeverity());
        assertValidJunit(xml);
        Document d = parse(xml);
        Element suite = elements(d, "testsuite").get(0);
        List<Element> cases = elements(d, "testcase");
        // 5 findings on 5 objects + the summary case
        assertEquals(6, cases.size());
        assertEquals("6", suite.getAttribute("tests"));
        assertEquals("4", suite.getAttribute("failures"), "3 errors at --fail-on error + the summary");
        assertEquals("0", suite.getAttribute("errors"));
        assertEquals("0", suite.getAttribute("skipped"));
        assertEquals("83.500", suite.getAttribute("time"));
        assertEquals("2024-05-01T10:15:30", suite.getAttribute("timestamp"));
        assertEquals("6", d.getDocumentElement().getAttribute("tests"));

        Element fk = cases.stream().filter(c -> c.getAttribute("name").equals("public.orders.orders_customer_id_fkey"))
                .findFirst().orElseThrow();
        assertEquals("constraint", fk.getAttribute("classname"));
        Element failure = (Element) fk.getElementsByTagName("failure").item(0);
        assertEquals("DW116", failure.getAttribute("type"));
        assertEquals("foreign key public.orders.orders_customer_id_fkey is missing", failure.getAttribute("message"));
        assertTrue(failure.getTextContent().contains("expected: FOREIGN KEY (customer_id) REFERENCES customers(id)"));

        Element index = cases.stream().filter(c -> c.getAttribute("name").equals("public.orders.orders_note_idx"))
                .findFirst().orElseThrow();
        assertEquals(0, index.getElementsByTagName("failure").getLength(), "a warning passes at --fail-on error");
        assertTrue(index.getElementsByTagName("system-out").item(0).getTextContent().contains("DW101"));

        Element history = cases.stream().filter(c -> c.getAttribute("name").equals("2")).findFirst().orElseThrow();
        assertEquals("history", history.getAttribute("classname"));

        Element audit = cases.get(cases.size() - 1);
        assertEquals("driftwatch", audit.getAttribute("classname"));
        assertEquals("audit", audit.getAttribute("name"));
        assertEquals(1, audit.getElementsByTagName("failure").getLength());
    }

    @Test
    void junitOfACleanAuditPassesAndFailOnNeverNeverFails() throws Exception {
        String xml = new JunitReporter().render(SampleResults.clean());
        assertValidJunit(xml);
        Document d = parse(xml);
        assertEquals("1", d.getDocumentElement().getAttribute("tests"));
        assertEquals("0", d.getDocumentElement().getAttribute("failures"));

        AuditResult e = SampleResults.everySeverity();
        AuditResult never = new AuditResult(e.toolVersion(), e.startedAt(), 5, e.target(), e.expected(), e.findings(),
                e.history(), null, e.notes());
        Document n = parse(new JunitReporter().render(never));
        assertEquals(0, n.getElementsByTagName("failure").getLength());
        assertEquals(5, n.getElementsByTagName("system-out").getLength() - 1, "5 objects + the summary");
    }

    @Test
    void junitListsAppliedRehearsalSteps() throws Exception {
        String xml = new JunitReporter().render(SampleResults.gated());
        assertValidJunit(xml);
        Document d = parse(xml);
        List<Element> rehearsal = elements(d, "testcase").stream()
                .filter(c -> c.getAttribute("classname").equals("rehearsal")).toList();
        assertEquals(1, rehearsal.size(), "only the applied step is a passing case");
        assertEquals("V5__note.sql", rehearsal.get(0).getAttribute("name"));
        assertEquals("0.012", rehearsal.get(0).getAttribute("time"));
    }

    @Test
    void junitSurvivesHostileNamesAndControlCharacters() throws Exception {
        String nasty = "x\"'<&>\u0000\u0001\u001b[31m\ud800\uffff]]>";
        AuditResult h = SampleResults.hostile();
        List<Finding> findings = new ArrayList<>(h.findings());
        String nastyName = nasty.replace("\u0000", "");
        findings.add(new Finding(Rule.DW104, Severity.ERROR, ObjectRef.of(ObjectKind.TABLE, nastyName, nastyName), nasty,
                nasty, nasty));
        AuditResult result = new AuditResult(h.toolVersion(), h.startedAt(), 1, h.target(), h.expected(), findings,
                h.history(), h.failOn(), h.notes());
        String xml = new JunitReporter().render(result);
        assertValidJunit(xml);
        Document d = parse(xml);
        boolean hostileTable = false;
        boolean nastyMessage = false;
        for (Element c : elements(d, "testcase")) {
            hostileTable |= c.getAttribute("classname").equals("table") && c.getAttribute("name").contains("<script>");
        }
        for (Element f : elements(d, "failure")) {
            nastyMessage |= f.getAttribute("message").equals("x\"'<&>\\u0000\\u0001\\u001b[31m\\ud800\\uffff]]>");
        }
        assertTrue(hostileTable, xml);
        assertTrue(nastyMessage, "markup round-trips, invalid characters become visible escapes: " + xml);
        assertFalse(xml.contains("hunter2"), "password leaked");
    }

    @Test
    void junitIsWrittenToAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.junit.xml");
        new JunitReporter().write(SampleResults.gated(), file);
        assertValidJunit(Files.readString(file));
    }

    // ---------------------------------------------------------------- Markdown

    @Test
    void markdownSummarisesStatusCountsAndFindings() {
        String md = new MarkdownReporter().render(SampleResults.everySeverity());
        assertTrue(md.startsWith("## \u274c driftwatch: drift, FAILED at --fail-on error\n"), md);
        assertTrue(md.contains("| error | 3 |\n| warning | 1 |\n| info | 1 |\n"), md);
        assertTrue(md.contains("| error | DW116 missing\\-constraint |") || md.contains("| error | DW116 missing-constraint |"), md);
        assertEquals(5, md.lines().filter(l -> l.matches("\\| (error|warning|info) \\| DW.*")).count(), md);
        assertFalse(md.contains("Rehearsal"), "no rehearsal section for an audit");
        String clean = new MarkdownReporter().render(SampleResults.clean());
        assertTrue(clean.startsWith("## \u2705 driftwatch: clean, passed at --fail-on error\n"), clean);
        assertFalse(clean.contains("| Severity | Rule |"), "no empty findings table");
    }

    @Test
    void markdownLimitsTheFindingsTable() {
        String md = new MarkdownReporter().render(SampleResults.many(120));
        long rows = md.lines().filter(l -> l.matches("\\| (error|warning|info) \\| DW.*")).count();
        assertEquals(MarkdownReporter.MAX_ROWS, rows);
        assertTrue(md.contains("\u2026 and " + (123 - MarkdownReporter.MAX_ROWS) + " more"), md);
    }

    @Test
    void markdownEscapesHostileTextSoTablesStayIntact() {
        String md = new MarkdownReporter().render(SampleResults.gated());
        assertTrue(md.contains("### Rehearsal of pending migrations"), md);
        assertTrue(md.contains("| failed | V6\\_\\_idx.sql |"), md);
        AuditResult h = SampleResults.hostile();
        List<Finding> findings = new ArrayList<>(h.findings());
        findings.add(new Finding(Rule.DW104, Severity.ERROR, ObjectRef.of(ObjectKind.TABLE, "public", "a|b`c"),
                null, null, "line one\nline two | [link](http://evil) ![img](x) <img src=x> @someone **bold**"));
        AuditResult result = new AuditResult(h.toolVersion(), h.startedAt(), 1, h.target(), h.expected(), findings,
                h.history(), h.failOn(), h.notes());
        String hostile = new MarkdownReporter().render(result);
        assertFalse(hostile.contains("<script"), hostile);
        assertFalse(hostile.contains("<img"), hostile);
        assertFalse(hostile.contains("[link]("), "no link: " + hostile);
        assertFalse(hostile.contains("@someone"), "no mention: " + hostile);
        assertFalse(hostile.contains("hunter2"), "password leaked: " + hostile);
        // every table row keeps exactly its 4 columns: unescaped pipes only as separators
        for (String line : hostile.lines().filter(l -> l.matches("\\| (error|warning|info) \\| DW.*")).toList()) {
            assertEquals(5, line.replace("\\|", "").chars().filter(c -> c == '|').count(), line);
        }
        assertTrue(hostile.contains("line one\\\\u000aline two \\| \\[link\\]"), hostile);
    }

    // ---------------------------------------------------------------- text

    @Test
    void textHasEveryFindingAndNoColour(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.txt");
        new TextReporter().write(SampleResults.many(100), file);
        String text = Files.readString(file);
        assertEquals(103, text.lines().filter(l -> l.matches("^(error|warning|info) .*")).count(), text);
        assertFalse(text.contains("more (see"), "no line limit");
        assertFalse(text.contains("\u001b"), "no ANSI escape");
        assertTrue(text.startsWith("driftwatch 0.1.0 audit of postgresql://auditor@db.example:5432/shop"), text);
        assertTrue(text.contains("status: drift, FAILED at --fail-on error"), text);
        String gated = new TextReporter().render(SampleResults.gated());
        assertTrue(gated.contains("rehearsal of 3 pending migration(s)"), gated);
    }
}
