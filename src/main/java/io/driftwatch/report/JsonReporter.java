package io.driftwatch.report;

import io.driftwatch.base.AtomicFileWriter;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.policy.AuditResult;
import io.driftwatch.policy.Rehearsal;
import io.driftwatch.model.HistoryEntry;
import io.driftwatch.model.HistoryState;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Severity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes the machine-readable {@code report.json}, format version {@value #FORMAT_VERSION}.
 *
 * <p>The shape is fixed by {@code reports/schema/report-v2.schema.json} (JSON Schema draft
 * 2020-12) and its keys are always written in this order:
 * <pre>
 * { "formatVersion": 2,
 *   "tool":     { "name": "driftwatch", "version": "0.1.0" },
 *   "startedAt": "2024-05-01T10:15:30Z",          // ISO-8601 instant, UTC
 *   "durationMillis": 1234,
 *   "target":   { "url", "serverVersion", "schemas": [..], "objectCount" },
 *   "expected": { "locations": [..], "historyTable", "shadow", "scriptsFound", "scriptsReplayed", "objectCount" },
 *   "summary":  { "error", "warning", "info", "failOn": "error|warning|info|never", "failed", "status": "clean|drift", "notAudited", "waived" },
 *   "findings": [ { "ruleId": "DW116", "rule": "missing-constraint", "severity": "error",
 *                   "object": { "kind": "constraint", "schema", "parent", "name", "qualifiedName" },
 *                   "expected", "actual", "message",
 *                   "waiver": null | { "reason", "expires": "2027-03-31" | null, "origin": "driftwatch.yaml:14", "inline": false } } ],
 *   "history":  { "tool": "flyway|alembic", "versionTable", "heads": [..], "current": [..],
 *                 "entries": [ { "id", "parents": [..], "description", "type", "script", "state", "rank",
 *                                "appliedOn", "appliedBy", "localChecksum", "appliedChecksum" } ] },
 *   "rehearsal": null | { "shadow", "migrations": [ { "script", "revision", ... } ], "notes" },
 *   "notes":    [ "..." ] }
 * </pre>
 * Absent values are JSON {@code null}, never omitted. Findings are ordered most severe first, then
 * by object, then by rule id. {@code status} is {@code drift} when some unwaived finding is at least a
 * warning; {@code failed} is true when some unwaived finding is at or above {@code failOn}; the
 * severity counts leave waived findings out and {@code waived} counts them. Passwords in
 * {@code target.url} are masked.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class JsonReporter {

    /** Version of the JSON shape; bumped only on incompatible changes. */
    public static final int FORMAT_VERSION = 2;

    /** Classpath location of the schema this reporter's output conforms to. */
    public static final String SCHEMA_RESOURCE = "/reports/schema/report-v2.schema.json";

    private final ObjectMapper mapper;

    /** Creates a reporter writing pretty-printed UTF-8 JSON. */
    public JsonReporter() {
        this.mapper = new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    /**
     * Writes the report atomically (temp file in the same directory, then a move).
     *
     * @param result the audit
     * @param file   target file, typically {@code report.json}; parent directories are created
     * @throws IOException when the file cannot be written; an existing file is then left unchanged
     */
    public void write(AuditResult result, Path file) throws IOException {
        ObjectNode doc = toJson(result);
        AtomicFileWriter.write(file, out -> {
            mapper.writeValue(out, doc);
            out.write('\n');
        });
    }

    /**
     * @param result the audit
     * @return the report as a JSON string (pretty-printed, no trailing newline)
     */
    public String toJsonString(AuditResult result) {
        try {
            return mapper.writeValueAsString(toJson(result));
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    /**
     * @param result the audit
     * @return the report as a fresh Jackson tree in the documented key order
     */
    public ObjectNode toJson(AuditResult result) {
        ObjectNode root = mapper.createObjectNode();
        root.put("formatVersion", FORMAT_VERSION);

        ObjectNode tool = root.putObject("tool");
        tool.put("name", "driftwatch");
        tool.put("version", result.toolVersion());

        root.put("startedAt", result.startedAt() == null ? null : result.startedAt().toString());
        root.put("durationMillis", result.durationMillis());

        AuditResult.Target t = result.target();
        ObjectNode target = root.putObject("target");
        target.put("url", ReportFacts.maskUrl(t.url()));
        target.put("serverVersion", t.serverVersion());
        strings(target.putArray("schemas"), t.schemas());
        target.put("objectCount", t.objectCount());

        AuditResult.Expected e = result.expected();
        ObjectNode expected = root.putObject("expected");
        strings(expected.putArray("locations"), e.locations());
        expected.put("historyTable", e.historyTable());
        expected.put("shadow", e.shadow());
        expected.put("scriptsFound", e.scriptsFound());
        expected.put("scriptsReplayed", e.scriptsReplayed());
        expected.put("objectCount", e.objectCount());
        expected.put("notCompared", e.notCompared());

        Map<Severity, Integer> counts = result.countsBySeverity();
        ObjectNode summary = root.putObject("summary");
        for (Severity s : Severity.values()) {
            summary.put(s.label(), counts.get(s));
        }
        summary.put("failOn", ReportFacts.failOn(result));
        summary.put("failed", result.failed());
        summary.put("status", ReportFacts.status(result));
        summary.put("notAudited", ReportFacts.notAudited(result));
        summary.put("waived", result.waivedCount());

        ArrayNode findings = root.putArray("findings");
        for (Finding f : ReportFacts.ordered(result.findings())) {
            ObjectNode n = findings.addObject();
            n.put("ruleId", f.rule().id());
            n.put("rule", f.rule().slug());
            n.put("severity", f.severity().label());
            ObjectRef ref = f.object();
            ObjectNode o = n.putObject("object");
            o.put("kind", ReportFacts.kindToken(ref.kind()));
            o.put("schema", ref.schema());
            o.put("parent", ref.parent());
            o.put("name", ref.name());
            o.put("qualifiedName", ref.qualifiedName());
            n.put("expected", f.expected());
            n.put("actual", f.actual());
            n.put("message", f.message());
            if (f.waiver() == null) {
                n.putNull("waiver");
            } else {
                ObjectNode w = n.putObject("waiver");
                w.put("reason", f.waiver().reason());
                w.put("expires", f.waiver().expires() == null ? null : f.waiver().expires().toString());
                w.put("origin", f.waiver().origin());
                w.put("inline", f.waiver().inline());
            }
        }

        HistoryState hs = result.history();
        ObjectNode history = root.putObject("history");
        history.put("tool", hs.tool());
        history.put("versionTable", hs.versionTable());
        hs.heads().forEach(history.putArray("heads")::add);
        hs.current().forEach(history.putArray("current")::add);
        ArrayNode entries = history.putArray("entries");
        for (HistoryEntry m : hs.entries()) {
            ObjectNode n = entries.addObject();
            n.put("id", m.id());
            m.parents().forEach(n.putArray("parents")::add);
            n.put("description", m.description());
            n.put("type", m.type());
            n.put("script", m.script());
            n.put("state", m.state());
            n.put("rank", m.rank());
            n.put("appliedOn", m.appliedOn());
            n.put("appliedBy", m.appliedBy());
            n.put("localChecksum", m.localChecksum());
            n.put("appliedChecksum", m.appliedChecksum());
        }

        Rehearsal r = result.rehearsal();
        if (r == null) {
            root.putNull("rehearsal");
        } else {
            ObjectNode rehearsal = root.putObject("rehearsal");
            rehearsal.put("shadow", r.shadow());
            ArrayNode steps = rehearsal.putArray("migrations");
            for (Rehearsal.Step step : r.migrations()) {
                ObjectNode n = steps.addObject();
                n.put("script", step.script());
                n.put("revision", step.id());
                n.put("description", step.description());
                n.put("outcome", step.outcome().label());
                n.put("millis", step.millis());
                Rehearsal.Failure f = step.failure();
                if (f == null) {
                    n.putNull("failure");
                } else {
                    ObjectNode fn = n.putObject("failure");
                    fn.put("message", f.message());
                    fn.put("sqlState", f.sqlState());
                    fn.put("line", f.line());
                    fn.put("statement", f.statement());
                    fn.put("causedByDrift", f.causedByDrift());
                    strings(fn.putArray("explainedBy"), f.explainedBy());
                    fn.put("fix", f.fix());
                }
                strings(n.putArray("changes"), step.changes());
            }
            strings(rehearsal.putArray("notes"), r.notes());
        }

        strings(root.putArray("notes"), result.notes());
        return root;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
