package io.driftwatch.report;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Renders reports in Debian's headless Chromium through {@code scripts/check-html-in-chromium.sh}.
 * Fails (never skips) when Chromium is missing. Samples and a screenshot are kept in
 * {@code <build dir>/report-samples/} for a person to look at, with {@code html-scale-times.txt}:
 * the generation, load, filter, collapse and expand times of the 1,000 and 10,000-finding reports
 * as {@code scripts/html-probe.js} measured them (recorded, never asserted beyond a loose bound).
 */
class HtmlReportBrowserTest {

    private static Path projectDir;
    private static Path samples;

    @BeforeAll
    static void findChromium() throws IOException, InterruptedException, URISyntaxException {
        projectDir = Paths.get(System.getProperty("driftwatch.projectDir", ".")).toAbsolutePath();
        Path testClasses = Paths.get(HtmlReportBrowserTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        samples = testClasses.getParent().resolve("report-samples");
        Files.createDirectories(samples);
        Files.deleteIfExists(samples.resolve("html-scale-times.txt"));
        Result which = run(List.of("bash", "-c", "command -v \"${CHROMIUM:-chromium}\" || command -v chromium-browser"));
        if (which.exit != 0) {
            fail("Chromium is needed for the HTML report check and was not found: apt-get install -y chromium"
                    + " (or set CHROMIUM=/path/to/chromium)");
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        return run(command, Map.of());
    }

    private static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(projectDir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("timed out: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static Result check(Path html, Path screenshot) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", projectDir.resolve("scripts/check-html-in-chromium.sh").toString(),
                html.toString()));
        if (screenshot != null) {
            cmd.add(screenshot.toString());
        }
        return run(cmd);
    }

    @Test
    void hostileNamesAndThousandsOfFindingsRenderWithoutErrors() throws IOException, InterruptedException {
        Path html = samples.resolve("many-hostile.html");
        new HtmlReporter().write(SampleResults.many(3000), html);
        Result r = check(html, null);
        assertEquals(0, r.exit, r.output);
        assertTrue(r.output.contains("without console errors"), r.output);
    }

    /** Runs the check with {@code PROBE=1}; returns the probe's {@code key=value} lines. */
    private static Map<String, String> probe(Path html, String fragment) throws IOException, InterruptedException {
        Result r = run(List.of("bash", projectDir.resolve("scripts/check-html-in-chromium.sh").toString(), html.toString()),
                Map.of("PROBE", "1", "FRAGMENT", fragment));
        assertEquals(0, r.exit, r.output);
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : r.output.split("\n")) {
            if (line.startsWith("probe: ")) {
                int eq = line.indexOf('=');
                values.put(line.substring(7, eq), line.substring(eq + 1));
            } else if (line.startsWith("time: ")) {
                for (String kv : line.substring(6).split(" ")) {
                    int eq = kv.indexOf('=');
                    values.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
        }
        assertEquals("1", values.get("done"), r.output);
        return values;
    }

    /** Keeps the measured times next to the samples (docs/benchmarks.md quotes them) and prints them. */
    private static void record(String name, Map<String, String> p) throws IOException {
        String line = String.format("%s: findings=%s bytes=%s dom-interactive-ms=%s load-event-ms=%s first-paint-ms=%s"
                        + " filter-ms=%s clear-ms=%s typed-ms=%s collapse-ms=%s expand-ms=%s expand-unfiltered-ms=%s"
                        + " chromium-dump-dom-ms=%s%n",
                name, p.get("findings"), p.get("bytes"), p.get("dom-interactive-ms"), p.get("load-event-ms"),
                p.get("first-paint-ms"), p.get("filter-ms"), p.get("clear-ms"), p.get("typed-ms"), p.get("collapse-ms"),
                p.get("expand-ms"), p.get("expand-unfiltered-ms"), p.get("chromium-dump-dom-ms"));
        System.out.print(line);
        Files.writeString(samples.resolve("html-scale-times.txt"), line, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void theFilterBoxHidesFindingsThatDoNotMatch() throws IOException, InterruptedException {
        Path html = samples.resolve("filtered.html");
        new HtmlReporter().write(SampleResults.many(400), html);
        Map<String, String> p = probe(html, "filter=column-nullability");
        assertEquals("403", p.get("findings"));
        assertEquals("100", p.get("matches"), "every 4th generated finding is DW110 column-nullability-changed");
        assertEquals("100 of 403 findings match", p.get("shown-text"));
        assertEquals("0", p.get("visible-unfiltered"), "over 300 findings the table groups start collapsed");
        assertEquals("100", p.get("visible-expanded"), "expanded, only the matching findings show");
        assertEquals("0", p.get("visible-collapsed"));
        assertEquals("100", p.get("typed-matches"), "typing into the box gives the same result as the link");
    }

    @Test
    void tenThousandFindingsStayUsable() throws IOException, InterruptedException {
        Path html = samples.resolve("scale-10000.html");
        long t0 = System.nanoTime();
        new HtmlReporter().write(ScaleResults.audit(10_000), html);
        long writeMs = (System.nanoTime() - t0) / 1_000_000;
        Map<String, String> p = probe(html, "filter=t_0042");
        record("10,000 findings (write " + writeMs + " ms)", p);
        assertEquals("10003", p.get("findings"));
        assertEquals("0", p.get("visible-unfiltered"), "collapsed: no finding rendered until a group is opened");
        // table t_0042 holds findings 210..214: the filter leaves one group per severity and opens them
        assertEquals("5", p.get("matches"));
        assertEquals("5", p.get("visible-at-load"), "the #filter= link opens the matching groups");
        assertEquals("5", p.get("visible-filtered"));
        assertEquals("5 of 10003 findings match", p.get("shown-text"));
        assertEquals("0", p.get("visible-collapsed"), "Collapse all hides every finding");
        assertEquals("5", p.get("visible-expanded"), "Expand all shows the matching findings only");
        assertEquals("5", p.get("typed-visible"));
        assertEquals("10003", p.get("visible-all-expanded"), "without a filter, Expand all renders every finding");
        // a very loose sanity bound (a shared CI machine); the times themselves are recorded, not gated
        assertTrue(Double.parseDouble(p.get("filter-ms")) < 10_000, "filtering 10,000 findings took " + p.get("filter-ms") + " ms");
    }

    @Test
    void severityAndWaivedTogglesNarrowTheFindings() throws IOException, InterruptedException {
        Path html = samples.resolve("scale-1000.html");
        long t0 = System.nanoTime();
        new HtmlReporter().write(ScaleResults.audit(1_000), html);
        long writeMs = (System.nanoTime() - t0) / 1_000_000;
        // DW110 (index 3 of every 10) is exactly the waived findings: 100 of them
        Map<String, String> all = probe(html, "filter=DW110");
        record("1,000 findings (write " + writeMs + " ms)", all);
        assertEquals("100", all.get("matches"));
        assertEquals("0", all.get("visible-filtered"), "100 matching groups are too many to open by themselves");
        assertEquals("100", all.get("visible-expanded"));
        Map<String, String> hidden = probe(html, "filter=DW110&waived=hide");
        assertEquals("0", hidden.get("matches"));
        assertEquals("0", hidden.get("visible-expanded"), "hide waived removes them even when expanded");
        // DW109 (index 2 and 7) is an error; with errors switched off nothing matches
        assertEquals("201", probe(html, "filter=dw109").get("matches"), "and the hostile sample's DW109");
        Map<String, String> warnings = probe(html, "filter=dw109&severity=warning,info");
        assertEquals("0", warnings.get("matches"));
        assertEquals("0", warnings.get("visible-expanded"));
        // the custom rule ACME001 is a warning (index 9): 100 findings, none waived
        Map<String, String> acme = probe(html, "filter=float-money&severity=warning&waived=hide");
        assertEquals("100", acme.get("matches"));
        assertEquals("100 of 1003 findings match", acme.get("shown-text"));
    }

    @Test
    void sampleReportRendersAndIsScreenshotted() throws IOException, InterruptedException {
        Path html = samples.resolve("sample.html");
        Path png = samples.resolve("sample.png");
        Files.deleteIfExists(png);
        new HtmlReporter().write(SampleResults.everySeverity(), html);
        Result r = check(html, png);
        assertEquals(0, r.exit, r.output);
        assertTrue(Files.size(png) > 10_000, "screenshot too small: " + Files.size(png));
    }

    @Test
    void cleanReportRendersWithoutErrors() throws IOException, InterruptedException {
        Path html = samples.resolve("clean.html");
        new HtmlReporter().write(SampleResults.clean(), html);
        Result r = check(html, null);
        assertEquals(0, r.exit, r.output);
    }

    @Test
    void theCheckCatchesConsoleErrorsAndExceptions() throws IOException, InterruptedException {
        String hook;
        try (InputStream in = HtmlReporter.class.getResourceAsStream(HtmlReporter.TEMPLATE_DIR + "/report-hook.js")) {
            hook = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path html = samples.resolve("broken.html");
        Files.writeString(html, "<!DOCTYPE html><html><body data-errors=\"\"><script>" + hook + "</script>"
                + "<script>console.error('boom'); document.body.setAttribute('data-ready', '1');</script>"
                + "<script>notDefined();</script></body></html>");
        Result r = check(html, null);
        assertEquals(1, r.exit, r.output);
        assertTrue(r.output.contains("console.error: boom"), r.output);
        assertTrue(r.output.contains("notDefined is not defined"), r.output);
    }
}
