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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Renders reports in Debian's headless Chromium through {@code scripts/check-html-in-chromium.sh}.
 * Fails (never skips) when Chromium is missing. Samples and a screenshot are kept in
 * {@code <build dir>/report-samples/} for a person to look at.
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

    @Test
    void theFilterBoxHidesFindingsThatDoNotMatch() throws IOException, InterruptedException {
        Path html = samples.resolve("filtered.html");
        Path dom = samples.resolve("filtered-dom.html");
        new HtmlReporter().write(SampleResults.many(400), html);
        Result r = run(List.of("bash", projectDir.resolve("scripts/check-html-in-chromium.sh").toString(), html.toString()),
                Map.of("FRAGMENT", "filter=column-nullability", "DUMP_DOM", dom.toString()));
        assertEquals(0, r.exit, r.output);
        String after = Files.readString(dom, StandardCharsets.UTF_8);
        int visible = 0;
        int hidden = 0;
        for (int i = after.indexOf("<article class=\"finding\""); i >= 0; i = after.indexOf("<article class=\"finding\"", i + 1)) {
            if (after.startsWith("<article class=\"finding\" hidden", i)) {
                hidden++;
            } else {
                visible++;
            }
        }
        assertEquals(100, visible, "every 4th generated finding is DW110 column-nullability-changed");
        assertEquals(303, hidden);
        assertTrue(after.contains("100 of 403 findings match"));
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
