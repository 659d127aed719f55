package io.driftwatch.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.driftwatch.policy.AuditResult;
import io.driftwatch.policy.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonReporterTest {

    private final JsonReporter reporter = new JsonReporter();
    private final ObjectMapper mapper = new ObjectMapper();

    private static JsonSchema schema() throws IOException {
        try (InputStream in = JsonReporterTest.class.getResourceAsStream(JsonReporter.SCHEMA_RESOURCE)) {
            assertTrue(in != null, "schema not on the classpath: " + JsonReporter.SCHEMA_RESOURCE);
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void cleanReportHasExactShape() {
        ObjectNode json = reporter.toJson(SampleResults.clean());
        assertEquals(List.of("formatVersion", "tool", "startedAt", "durationMillis", "target", "expected",
                "summary", "findings", "history", "rehearsal", "notes"), keys(json));
        assertTrue(json.get("rehearsal").isNull(), "an audit has no rehearsal");
        assertEquals(2, json.get("formatVersion").intValue());
        assertEquals("{\"name\":\"driftwatch\",\"version\":\"0.1.0\"}", json.get("tool").toString());
        assertEquals("2024-05-01T10:15:30Z", json.get("startedAt").textValue());
        assertEquals(1234, json.get("durationMillis").longValue());
        assertEquals("{\"url\":\"postgresql://auditor@db.example:5432/shop\",\"serverVersion\":\"16.4\","
                + "\"schemas\":[\"public\",\"billing\"],\"objectCount\":42}", json.get("target").toString());
        assertEquals("{\"locations\":[\"filesystem:db/migration\"],\"historyTable\":\"public.flyway_schema_history\","
                + "\"shadow\":\"local initdb (PostgreSQL 16.4, /usr/lib/postgresql/16/bin)\",\"scriptsFound\":5,"
                + "\"scriptsReplayed\":4,\"objectCount\":41,\"notCompared\":null}", json.get("expected").toString());
        assertEquals("{\"error\":0,\"warning\":0,\"info\":0,\"failOn\":\"error\",\"failed\":false,\"status\":\"clean\",\"notAudited\":0,\"waived\":0}",
                json.get("summary").toString());
        assertEquals("[]", json.get("findings").toString());
        assertEquals("[]", json.get("notes").toString());
        assertEquals("{\"tool\":\"flyway\",\"versionTable\":\"public.flyway_schema_history\",\"heads\":[],"
                + "\"current\":[],\"entries\":[{\"id\":\"V1\",\"parents\":[],\"description\":\"init\",\"type\":\"SQL\","
                + "\"script\":\"V1__init.sql\",\"state\":\"success\",\"rank\":1,\"appliedOn\":\"2024-04-01 09:00:00\","
                + "\"appliedBy\":\"deploy\",\"localChecksum\":\"1\",\"appliedChecksum\":\"1\"}]}", json.get("history").toString());
    }

    @Test
    void findingsOfEverySeverityAreOrderedAndComplete() {
        ObjectNode json = reporter.toJson(SampleResults.everySeverity());
        List<String> order = new ArrayList<>();
        json.get("findings").forEach(f -> order.add(f.get("severity").textValue() + " " + f.get("ruleId").textValue()
                + " " + f.get("object").get("qualifiedName").textValue()));
        assertEquals(List.of(
                "error DW201 2",
                "error DW109 billing.invoices.amount",
                "error DW116 public.orders.orders_customer_id_fkey",
                "warning DW101 public.orders.orders_note_idx",
                "info DW203 5"), order);
        JsonNode fk = json.get("findings").get(2);
        assertEquals(List.of("ruleId", "rule", "severity", "object", "expected", "actual", "message", "waiver"), keys(fk));
        assertEquals("{\"ruleId\":\"DW116\",\"rule\":\"missing-constraint\",\"severity\":\"error\","
                + "\"object\":{\"kind\":\"constraint\",\"schema\":\"public\",\"parent\":\"orders\","
                + "\"name\":\"orders_customer_id_fkey\",\"qualifiedName\":\"public.orders.orders_customer_id_fkey\"},"
                + "\"expected\":\"FOREIGN KEY (customer_id) REFERENCES customers(id)\",\"actual\":null,"
                + "\"message\":\"foreign key public.orders.orders_customer_id_fkey is missing\",\"waiver\":null}", fk.toString());
        JsonNode migration = json.get("findings").get(0).get("object");
        assertEquals("{\"kind\":\"history\",\"schema\":null,\"parent\":null,\"name\":\"2\",\"qualifiedName\":\"2\"}",
                migration.toString());
        assertEquals("{\"error\":3,\"warning\":1,\"info\":1,\"failOn\":\"error\",\"failed\":true,\"status\":\"drift\",\"notAudited\":0,\"waived\":0}",
                json.get("summary").toString());
        assertEquals(83_500, json.get("durationMillis").longValue());
        JsonNode history = json.get("history");
        assertEquals(List.of("tool", "versionTable", "heads", "current", "entries"), keys(history));
        assertEquals("flyway", history.get("tool").textValue());
        assertEquals("public.flyway_schema_history", history.get("versionTable").textValue());
        assertEquals(6, history.get("entries").size());
        assertEquals("{\"id\":\"V5\",\"parents\":[],\"description\":\"next\",\"type\":\"SQL\",\"script\":\"V5__next.sql\","
                + "\"state\":\"pending\",\"rank\":null,\"appliedOn\":null,\"appliedBy\":null,"
                + "\"localChecksum\":\"66\",\"appliedChecksum\":null}", history.get("entries").get(4).toString());
        assertEquals("R views", history.get("entries").get(5).get("id").textValue());
        assertEquals("[\"shadow: local initdb\",\"target is PostgreSQL 16.4, shadow 16.4\"]", json.get("notes").toString());
    }

    @Test
    void onlyInfoFindingsAreCleanAndFailOnNeverNeverFails() {
        AuditResult info = new AuditResult("0.1.0", SampleResults.STARTED, 1, SampleResults.target(),
                SampleResults.expected(), List.of(SampleResults.pending()), io.driftwatch.model.HistoryState.none(), null, List.of());
        assertEquals("{\"error\":0,\"warning\":0,\"info\":1,\"failOn\":\"never\",\"failed\":false,\"status\":\"clean\",\"notAudited\":0,\"waived\":0}",
                reporter.toJson(info).get("summary").toString());
    }

    @Test
    void unmodelledObjectsAreCountedSoACleanReportIsNotBlind() throws IOException {
        io.driftwatch.model.UnmodelledObject ft = new io.driftwatch.model.UnmodelledObject("foreign table", "public", "remote");
        List<io.driftwatch.policy.Finding> findings = new io.driftwatch.policy.Classifier().notAudited(List.of(ft));
        AuditResult blind = new AuditResult("0.1.0", SampleResults.STARTED, 1, SampleResults.target(),
                SampleResults.expected(), findings, io.driftwatch.model.HistoryState.none(), io.driftwatch.policy.Severity.WARNING, List.of());
        JsonNode json = reporter.toJson(blind);
        assertEquals("{\"error\":0,\"warning\":0,\"info\":1,\"failOn\":\"warning\",\"failed\":false,\"status\":\"clean\",\"notAudited\":1,\"waived\":0}",
                json.get("summary").toString());
        JsonNode f = json.get("findings").get(0);
        assertEquals("DW178", f.get("ruleId").asText());
        assertEquals("unmodelled", f.get("object").get("kind").asText());
        assertEquals("foreign table public.remote", f.get("object").get("qualifiedName").asText());
        assertTrue(schema().validate(json).isEmpty(), schema().validate(json).toString());
    }

    @Test
    void passwordsInTheUrlAreMasked() {
        String url = reporter.toJson(SampleResults.hostile()).get("target").get("url").textValue();
        assertEquals("postgresql://auditor:***@db/" + SampleResults.HOSTILE + "?password=***", url);
    }

    @Test
    void generatedReportsValidateAgainstTheSchema() throws IOException {
        JsonSchema schema = schema();
        for (AuditResult r : List.of(SampleResults.clean(), SampleResults.everySeverity(), SampleResults.hostile(),
                SampleResults.many(40), SampleResults.gated())) {
            JsonNode doc = mapper.readTree(reporter.toJsonString(r));
            Set<ValidationMessage> errors = schema.validate(doc);
            assertEquals(Set.of(), errors, "schema errors");
        }
    }

    @Test
    void schemaRejectsReportsThatBreakTheContract() throws IOException {
        JsonSchema schema = schema();
        ObjectNode badStatus = reporter.toJson(SampleResults.everySeverity());
        ((ObjectNode) badStatus.get("summary")).put("status", "dirty");
        assertFalse(schema.validate(badStatus).isEmpty());

        ObjectNode missingKey = reporter.toJson(SampleResults.everySeverity());
        ((ObjectNode) missingKey.get("findings").get(0)).remove("actual");
        assertFalse(schema.validate(missingKey).isEmpty());

        ObjectNode extraKey = reporter.toJson(SampleResults.clean());
        extraKey.put("surprise", true);
        assertFalse(schema.validate(extraKey).isEmpty());

        ObjectNode badRule = reporter.toJson(SampleResults.everySeverity());
        ((ObjectNode) badRule.get("findings").get(0)).put("ruleId", "dw-101");
        assertFalse(schema.validate(badRule).isEmpty());
    }

    @Test
    void gateReportsCarryTheRehearsalPerMigration() {
        ObjectNode json = reporter.toJson(SampleResults.gated());
        JsonNode steps = json.get("rehearsal").get("migrations");
        assertEquals(3, steps.size());
        assertEquals("applied", steps.get(0).get("outcome").textValue());
        assertEquals("[\"AddColumn public.orders.note\"]", steps.get(0).get("changes").toString());
        assertTrue(steps.get(0).get("failure").isNull());
        JsonNode failure = steps.get(1).get("failure");
        assertEquals("failed", steps.get(1).get("outcome").textValue());
        assertEquals(2, failure.get("line").intValue());
        assertTrue(failure.get("causedByDrift").booleanValue());
        assertEquals("not run", steps.get(2).get("outcome").textValue());
        assertEquals("R view", steps.get(2).get("revision").textValue());
        List<String> errors = new ArrayList<>();
        json.get("findings").forEach(f -> {
            if (f.get("severity").textValue().equals("error")) {
                errors.add(f.get("ruleId").textValue());
            }
        });
        assertTrue(errors.contains("DW302"), "the gate's findings are merged into the audit's: " + errors);
    }

    @Test
    void writeProducesTheSameJsonWithATrailingNewline(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out/report.json");
        reporter.write(SampleResults.everySeverity(), file);
        assertEquals(reporter.toJsonString(SampleResults.everySeverity()) + "\n",
                Files.readString(file, StandardCharsets.UTF_8));
        assertEquals(List.of(file), Files.list(file.getParent()).toList());
    }

    @Test
    void failedWriteKeepsTheOldReport(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("report.json");
        reporter.write(SampleResults.everySeverity(), file);
        String before = Files.readString(file);
        AuditResult broken = new AuditResult("0.1.0", SampleResults.STARTED, 1, null, SampleResults.expected(),
                List.of(), io.driftwatch.model.HistoryState.none(), Severity.ERROR, List.of());
        assertThrows(NullPointerException.class, () -> reporter.write(broken, file));
        assertEquals(before, Files.readString(file));
        assertEquals(List.of(file), Files.list(dir).toList());
    }
}
