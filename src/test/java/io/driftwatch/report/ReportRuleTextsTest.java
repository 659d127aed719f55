package io.driftwatch.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.driftwatch.policy.AuditResult;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Rule;
import io.driftwatch.policy.Severity;
import io.driftwatch.policy.Waiver;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rule catalog's texts where the SARIF and Markdown reports show them. */
class ReportRuleTextsTest {

    private static final Rule BARE = Rule.custom("ACME001", "no-float-money", Severity.WARNING,
            "Money stored as float", "", "");
    private static final Rule LINKED = Rule.custom("ACME002", "no-char-columns", Severity.INFO,
            "char(n) column", "char(n) pads with spaces.", "Use `text` or `varchar(n)`.",
            "https://wiki.postgresql.org/wiki/Don't_Do_This");

    private static AuditResult with(List<Finding> extra) {
        AuditResult base = SampleResults.everySeverity();
        List<Finding> findings = new ArrayList<>(base.findings());
        findings.addAll(extra);
        return new AuditResult(base.toolVersion(), base.startedAt(), 1, base.target(), base.expected(), findings,
                base.history(), base.failOn(), base.notes());
    }

    private static Finding on(Rule rule, String table) {
        return new Finding(rule, rule.defaultSeverity(), ObjectRef.of(ObjectKind.TABLE, "public", table), null, null,
                rule.title() + " on " + table);
    }

    @Test
    void markdownHasOneFixLinePerRuleInReportOrder() {
        String md = new MarkdownReporter().render(SampleResults.everySeverity());
        int at = md.indexOf("\n**How to fix**\n\n");
        assertTrue(at > md.indexOf("| Severity | Rule |"), "after the findings table: " + md);
        List<String> lines = md.substring(at).lines().filter(l -> l.startsWith("- **")).toList();
        assertEquals(List.of("DW201", "DW109", "DW116", "DW101", "DW203"),
                lines.stream().map(l -> l.substring(4, 9)).toList(), md);
        String dw116 = lines.get(2);
        assertEquals("- **DW116 missing-constraint**: " + Rule.DW116.fix() + " ([more](" + SarifReporter.RULES_URI
                + "#dw116-missing-constraint))", dw116);
        assertFalse(new MarkdownReporter().render(SampleResults.clean()).contains("How to fix"), "nothing to fix");
    }

    @Test
    void markdownSkipsWaivedFindingsAndRulesWithoutFix() {
        Finding waived = on(Rule.DW104, "orders_backup")
                .withWaiver(new Waiver("kept until the audit", LocalDate.of(2999, 1, 1), "driftwatch.yaml:3"));
        String md = new MarkdownReporter().render(with(List.of(waived, on(BARE, "prices"), on(LINKED, "codes"))));
        assertFalse(md.contains("- **DW104"), "a waived finding needs no fix: " + md);
        assertFalse(md.contains("- **ACME001"), "no fix hint, no line: " + md);
        assertTrue(md.contains("- **ACME002 no-char-columns**: Use `text` or `varchar(n)`.\n"),
                "a custom rule's fix, without a docs link: " + md);
    }

    @Test
    void sarifCarriesDescriptionFixAndLinksAndStaysValid() throws Exception {
        String sarif = new SarifReporter().render(with(List.of(on(BARE, "prices"), on(LINKED, "codes"))));
        JsonNode log = new ObjectMapper().readTree(sarif);
        try (InputStream in = ReportRuleTextsTest.class.getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
            assertEquals(0, JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in).validate(log).size(),
                    "valid SARIF 2.1.0");
        }
        JsonNode bare = null;
        JsonNode linked = null;
        int builtIns = 0;
        for (JsonNode r : log.at("/runs/0/tool/driver/rules")) {
            String id = r.get("id").textValue();
            if (id.equals("ACME001")) {
                bare = r;
            } else if (id.equals("ACME002")) {
                linked = r;
            } else {
                builtIns++;
                Rule rule = Rule.parse(id);
                assertEquals(rule.description(), r.at("/fullDescription/markdown").textValue(), id);
                assertTrue(r.at("/help/markdown").textValue().startsWith("**Fix:** " + rule.fix()), id);
                assertTrue(r.get("helpUri").textValue().startsWith("https://"), id);
            }
        }
        assertEquals(5, builtIns);
        assertTrue(bare.get("fullDescription") == null && bare.get("help") == null && bare.get("helpUri") == null,
                "no empty texts, no link into docs for a rule docs/rules.md does not list: " + bare);
        assertEquals("https://wiki.postgresql.org/wiki/Don't_Do_This", linked.get("helpUri").textValue());
        assertEquals("Use text or varchar(n). See: https://wiki.postgresql.org/wiki/Don't_Do_This",
                linked.at("/help/text").textValue());
        assertFalse(linked.at("/help/markdown").textValue().contains("docs/rules.md"), linked.toString());
    }
}
