package io.driftwatch.report;

import io.driftwatch.base.AtomicFileWriter;
import freemarker.core.HTMLOutputFormat;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateModelException;
import io.driftwatch.policy.AuditResult;
import io.driftwatch.policy.Rehearsal;
import io.driftwatch.model.HistoryEntry;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Severity;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;

/**
 * Writes {@code report.html}: one self-contained HTML file (inline CSS and JS, no external
 * resources) rendered by FreeMarker from the classpath template {@code reports/templates/report.ftlh}.
 *
 * <p>The page shows the target (URL password masked), server version, start time, duration and
 * shadow; a status banner (clean / drift, counts by severity, pass or fail at {@code --fail-on});
 * the findings grouped by severity, then by table ({@link FindingGroups}), each with rule id (a link
 * to its row in the rules table), slug, object, message and expected vs actual side by side;
 * waived findings in place, marked waived with reason, origin and expiry, counted apart from the
 * failing counts; the rules that fired with counts, description and fix hint; the version-table
 * state with failed, missing and pending rows highlighted; and the notes. Above
 * {@value #OPEN_OBJECTS_UP_TO} findings the per-table groups start collapsed. The page is complete
 * without JavaScript; its script adds a toolbar (filter box, severity and hide-waived toggles,
 * expand/collapse all) built for 10,000+ findings, preset by {@code #filter=..&severity=..&waived=hide}.
 *
 * <p>Every value is HTML-escaped by the {@code .ftlh} output format; in object names, messages
 * and expected/actual text, control and bidirectional-override characters are shown as
 * backslash-u escapes so a name cannot disguise itself. The page also carries a
 * Content-Security-Policy that allows only its own two inline scripts (by SHA-256 hash) and no
 * network access at all, so even a broken escape could not run injected script. On
 * {@code <body>}, {@code data-errors} collects JS errors and {@code console.error} calls and
 * {@code data-ready="1"} is set once the page script ran; {@code scripts/check-html-in-chromium.sh}
 * checks both.
 *
 * <p>Instances are immutable and thread-safe (the FreeMarker configuration is never changed after
 * construction).
 */
public final class HtmlReporter {

    /** Classpath folder holding the template and its inline assets. */
    public static final String TEMPLATE_DIR = "/reports/templates";

    /** Above this many findings the per-table (per-object) sections start collapsed. */
    static final int OPEN_OBJECTS_UP_TO = 300;

    /** Characters buffered between the template and the file. */
    private static final int WRITE_BUFFER_CHARS = 1 << 16;

    private static final Set<String> BAD_STATES = Set.of("failed", "missing", "future", "invalid", "unknown");
    private static final Set<String> PENDING_STATES = Set.of("pending", "ignored", "outdated");
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Configuration config;
    private final String css;
    private final String hookJs;
    private final String pageJs;
    private final String csp;

    /**
     * Loads the template and its CSS/JS from the classpath.
     *
     * @throws UncheckedIOException if {@code reports/templates/} is not on the classpath
     */
    public HtmlReporter() {
        config = new Configuration(Configuration.VERSION_2_3_35);
        config.setClassForTemplateLoading(HtmlReporter.class, TEMPLATE_DIR);
        config.setRecognizeStandardFileExtensions(true);
        config.setDefaultEncoding("UTF-8");
        config.setOutputEncoding("UTF-8");
        config.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        config.setLogTemplateExceptions(false);
        config.setWrapUncheckedExceptions(true);
        config.setFallbackOnNullLoopVariable(false);
        config.setLocale(Locale.ROOT);
        config.setTimeZone(TimeZone.getTimeZone(ZoneOffset.UTC));
        config.setNumberFormat("computer");
        css = resource("report.css");
        hookJs = resource("report-hook.js");
        pageJs = resource("report.js");
        if (hookJs.contains("</") || pageJs.contains("</") || css.contains("</")) {
            throw new IllegalStateException("inline assets must not contain '</'");
        }
        csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
                + "script-src '" + sha256(hookJs) + "' '" + sha256(pageJs) + "'";
    }

    /**
     * Writes the report atomically (temp file in the same directory, then a move), streaming: the
     * page goes through a buffered writer straight into the temp file, never into one big string.
     *
     * @param result the audit
     * @param file   target file, typically {@code report.html}; parent directories are created
     * @throws IOException when the template cannot be loaded or rendered, or the file cannot be
     *                     written; an existing file is then left unchanged
     */
    public void write(AuditResult result, Path file) throws IOException {
        Template template = config.getTemplate("report.ftlh");
        Map<String, Object> model = model(result);
        AtomicFileWriter.write(file, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), WRITE_BUFFER_CHARS);
            process(template, model, w);
            w.flush();
        });
    }

    /**
     * Streams the report into {@code out} as it is rendered (pieces of at most a few kilobytes; the
     * finding rows are adapted from the {@link Finding}s one at a time, not copied first).
     *
     * @param result the audit
     * @param out    receives the page; flushed, not closed
     * @throws IOException when the template cannot be loaded or rendered, or {@code out} fails
     */
    public void write(AuditResult result, Writer out) throws IOException {
        process(config.getTemplate("report.ftlh"), model(result), out);
        out.flush();
    }

    /**
     * @param result the audit
     * @return the report as one HTML string (for tests and small reports; files use {@link #write(AuditResult, Path)})
     * @throws IOException when the template cannot be loaded or rendered
     */
    public String render(AuditResult result) throws IOException {
        java.io.StringWriter w = new java.io.StringWriter();
        write(result, w);
        return w.toString();
    }

    private static void process(Template template, Map<String, Object> model, Writer w) throws IOException {
        try {
            template.process(model, w);
        } catch (TemplateException e) {
            throw new IOException("cannot render " + template.getName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Renders {@code driftwatch diff --format html}: the same self-contained page style, CSP and
     * filter box as the audit report, with changes grouped by action (added, removed, changed).
     *
     * @param page the two sources and their changes
     * @return the page as one HTML string
     * @throws IOException when the template cannot be loaded or rendered
     */
    public String renderDiff(DiffPage page) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            m.put("css", HTMLOutputFormat.INSTANCE.fromMarkup(css));
            m.put("hookJs", HTMLOutputFormat.INSTANCE.fromMarkup(hookJs));
            m.put("pageJs", HTMLOutputFormat.INSTANCE.fromMarkup(pageJs));
        } catch (TemplateModelException e) {
            throw new IOException("cannot prepare inline assets", e);
        }
        m.put("csp", csp);
        m.put("toolVersion", text(page.toolVersion(), "unknown"));
        m.put("generatedAt", page.generatedAt() == null ? "unknown" : WHEN.format(page.generatedAt()));
        m.put("fromSource", text(ReportFacts.maskUrl(page.fromSource()), "unknown"));
        m.put("fromServer", text(page.fromServer(), "unknown"));
        m.put("toSource", text(ReportFacts.maskUrl(page.toSource()), "unknown"));
        m.put("toServer", text(page.toServer(), "unknown"));
        m.put("total", page.changes().size());
        List<Map<String, Object>> sections = new java.util.ArrayList<>();
        String[][] actions = {{"add", "Only in --to (added)"}, {"drop", "Only in --from (removed)"},
                {"modify", "Changed"}};
        for (String[] a : actions) {
            Map<String, List<Map<String, Object>>> byObject = new LinkedHashMap<>();
            Map<String, String> kinds = new LinkedHashMap<>();
            for (DiffPage.Row r : page.changes()) {
                if (!r.action().equals(a[0])) {
                    continue;
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("detail", text(r.detail(), ""));
                row.put("hasFrom", r.from() != null);
                row.put("hasTo", r.to() != null);
                row.put("from", ReportFacts.showControls(r.from(), true));
                row.put("to", ReportFacts.showControls(r.to(), true));
                byObject.computeIfAbsent(r.object(), k -> new java.util.ArrayList<>()).add(row);
                kinds.put(r.object(), r.kind());
            }
            if (byObject.isEmpty()) {
                continue;
            }
            List<Map<String, Object>> objects = new java.util.ArrayList<>();
            byObject.forEach((name, rows) -> {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("name", text(name, ""));
                o.put("kind", text(kinds.get(name), ""));
                o.put("changes", rows);
                objects.add(o);
            });
            Map<String, Object> sec = new LinkedHashMap<>();
            sec.put("action", a[0]);
            sec.put("title", a[1]);
            sec.put("count", objects.stream().mapToInt(o -> ((List<?>) o.get("changes")).size()).sum());
            sec.put("objects", objects);
            sec.put("openObjects", page.changes().size() <= 300);
            sections.add(sec);
        }
        m.put("sections", sections);
        Template template = config.getTemplate("diff.ftlh");
        java.io.StringWriter w = new java.io.StringWriter();
        try {
            template.process(m, w);
        } catch (TemplateException e) {
            throw new IOException("cannot render diff.ftlh: " + e.getMessage(), e);
        }
        return w.toString();
    }

    private Map<String, Object> model(AuditResult result) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            m.put("css", HTMLOutputFormat.INSTANCE.fromMarkup(css));
            m.put("hookJs", HTMLOutputFormat.INSTANCE.fromMarkup(hookJs));
            m.put("pageJs", HTMLOutputFormat.INSTANCE.fromMarkup(pageJs));
        } catch (TemplateModelException e) {
            throw new IOException("cannot prepare inline assets", e);
        }
        m.put("csp", csp);
        m.put("toolVersion", text(result.toolVersion(), "unknown"));
        m.put("startedAt", result.startedAt() == null ? "unknown" : WHEN.format(result.startedAt()));
        m.put("startedAtIso", result.startedAt() == null ? "" : result.startedAt().toString());
        m.put("duration", duration(result.durationMillis()));

        AuditResult.Target t = result.target();
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("url", text(ReportFacts.maskUrl(t.url()), "unknown"));
        target.put("serverVersion", text(t.serverVersion(), "unknown"));
        target.put("schemas", text(String.join(", ", t.schemas()), ""));
        target.put("objectCount", t.objectCount());
        m.put("target", target);

        AuditResult.Expected e = result.expected();
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("locations", text(String.join(", ", e.locations()), ""));
        expected.put("historyTable", text(e.historyTable(), "none"));
        expected.put("shadow", text(e.shadow(), "none"));
        expected.put("scriptsFound", e.scriptsFound());
        expected.put("scriptsReplayed", e.scriptsReplayed());
        expected.put("objectCount", e.objectCount());
        m.put("expected", expected);

        Map<Severity, Integer> counts = result.countsBySeverity();
        String status = ReportFacts.status(result);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("status", status);
        summary.put("failed", result.failed());
        summary.put("failOn", ReportFacts.failOn(result));
        summary.put("total", result.findings().size());
        summary.put("notAudited", ReportFacts.notAudited(result));
        summary.put("waived", result.waivedCount());
        List<Map<String, Object>> countList = new ArrayList<>();
        for (Severity s : Severity.values()) {
            countList.add(Map.of("severity", s.label(), "count", counts.get(s)));
        }
        summary.put("counts", countList);
        m.put("summary", summary);

        List<Finding> ordered = ReportFacts.ordered(result.findings());
        boolean openObjects = ordered.size() <= OPEN_OBJECTS_UP_TO;
        m.put("sections", FindingGroups.sections(ordered, openObjects));
        m.put("rules", FindingGroups.rules(ordered));

        List<Map<String, Object>> history = new ArrayList<>();
        boolean parents = false;
        for (HistoryEntry ms : result.history().entries()) {
            Map<String, Object> row = new LinkedHashMap<>();
            String state = text(ms.state(), "");
            row.put("id", text(ms.id(), ""));
            row.put("parents", text(String.join(", ", ms.parents()), ""));
            parents |= !ms.parents().isEmpty();
            row.put("description", text(ms.description(), ""));
            row.put("type", text(ms.type(), ""));
            row.put("script", text(ms.script(), ""));
            row.put("state", state);
            row.put("rank", ms.rank() == null ? "" : ms.rank().toString());
            row.put("installedOn", text(ms.appliedOn(), ""));
            row.put("installedBy", text(ms.appliedBy(), ""));
            row.put("localChecksum", text(ms.localChecksum(), ""));
            row.put("appliedChecksum", text(ms.appliedChecksum(), ""));
            boolean mismatch = ms.checksumMismatch();
            row.put("checksumMismatch", mismatch);
            String cls = BAD_STATES.contains(state) ? "bad" : PENDING_STATES.contains(state) ? "pending" : "";
            row.put("rowClass", mismatch && cls.isEmpty() ? "bad" : cls);
            history.add(row);
        }
        m.put("historyTool", text(result.history().tool() == null ? "" : result.history().tool(), ""));
        m.put("historyParents", parents);
        m.put("history", history);
        m.put("hasRehearsal", result.rehearsal() != null);
        if (result.rehearsal() != null) {
            m.put("rehearsal", rehearsal(result.rehearsal()));
        }
        m.put("notes", result.notes().stream().map(n -> text(n, "")).toList());
        return m;
    }

    /** The gate's rehearsal: one row per pending migration, failures with their explanation. */
    private static Map<String, Object> rehearsal(Rehearsal r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shadow", ReportFacts.showControls(text(r.shadow(), ""), false));
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Rehearsal.Step step : r.migrations()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("script", ReportFacts.showControls(step.script(), false));
            row.put("outcome", step.outcome().label());
            row.put("rowClass", switch (step.outcome()) {
                case APPLIED -> "";
                case FAILED -> "bad";
                case NOT_RUN -> "pending";
            });
            row.put("millis", step.outcome() == Rehearsal.Outcome.NOT_RUN ? "" : step.millis() + " ms");
            row.put("changes", step.changes().stream().map(c -> ReportFacts.showControls(c, false)).toList());
            Rehearsal.Failure f = step.failure();
            row.put("failed", f != null);
            if (f != null) {
                row.put("message", ReportFacts.showControls(f.message(), false));
                row.put("line", f.line() == null ? "" : f.line().toString());
                row.put("statement", ReportFacts.showControls(text(f.statement(), ""), true));
                row.put("causedByDrift", f.causedByDrift());
                row.put("explainedBy", f.explainedBy().stream().map(e -> ReportFacts.showControls(e, false)).toList());
                row.put("fix", ReportFacts.showControls(text(f.fix(), ""), false));
            }
            steps.add(row);
        }
        m.put("migrations", steps);
        m.put("notes", r.notes().stream().map(n -> ReportFacts.showControls(n, false)).toList());
        return m;
    }

    /** @return {@code value} (or {@code absent} when null) with controls made visible */
    private static String text(Object value, String absent) {
        return ReportFacts.showControls(value == null ? absent : value.toString(), false);
    }

    /** @return e.g. {@code 850 ms}, {@code 3.4 s}, {@code 2 min 05 s} */
    static String duration(long millis) {
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long s = millis / 1000;
        return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }

    private static String resource(String name) {
        String path = TEMPLATE_DIR + "/" + name;
        try (InputStream in = HtmlReporter.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("missing classpath resource " + path
                        + " (reports/templates must be a resource folder)"));
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
