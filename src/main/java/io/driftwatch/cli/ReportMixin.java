package io.driftwatch.cli;

import io.driftwatch.policy.AuditResult;
import io.driftwatch.report.HtmlReporter;
import io.driftwatch.report.JsonReporter;
import io.driftwatch.report.JunitReporter;
import io.driftwatch.report.MarkdownReporter;
import io.driftwatch.report.SarifReporter;
import io.driftwatch.report.TextReporter;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --out} and {@code --format}: where reports go and which are written, for the commands that
 * report an audit ({@code audit}, {@code gate}).
 */
public final class ReportMixin {

    @Option(names = {"--out", "-o"}, paramLabel = "DIR", defaultValue = "driftwatch-report",
            description = "Folder for the reports (created if needed). Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--format", split = ",", paramLabel = "FORMAT", defaultValue = "json,html",
            description = "Reports to write (comma-separated): json, html, sarif (report.sarif, SARIF 2.1.0 for code "
                    + "scanning), junit (report.junit.xml), markdown or md (report.md, for a PR comment or step summary), "
                    + "text (report.txt). Default: ${DEFAULT-VALUE}.")
    List<String> formats;

    /** Removes the previous run's reports from {@code out}, so a failed run leaves none that look clean. */
    void deleteStale() throws IOException {
        for (String name : REPORT_FILES) {
            Files.deleteIfExists(out.resolve(name));
        }
    }

    /** Every file {@link #write} can write, one per format. */
    static final List<String> REPORT_FILES = List.of("report.json", "report.html", "report.sarif",
            "report.junit.xml", "report.md", "report.txt");

    /** The {@code --format} values, as listed in messages. */
    static final String FORMATS = "json, html, sarif, junit, markdown (md), text";

    private static final java.util.Set<String> FORMAT_WORDS =
            java.util.Set.of("json", "html", "sarif", "junit", "markdown", "md", "text");

    /**
     * @param result  the result
     * @return the files written, in the order asked
     * @throws IOException when a report cannot be written
     * @throws IllegalArgumentException for an unknown format, before any report is written
     */
    List<Path> write(AuditResult result) throws IOException {
        for (String f : formats) {
            if (!FORMAT_WORDS.contains(f.trim().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("--format '" + f + "' is not one of " + FORMATS);
            }
        }
        Files.createDirectories(out);
        List<Path> written = new ArrayList<>();
        for (String f : formats) {
            switch (f.trim().toLowerCase(Locale.ROOT)) {
                case "json" -> {
                    Path p = out.resolve("report.json");
                    new JsonReporter().write(result, p);
                    written.add(p);
                }
                case "html" -> {
                    Path p = out.resolve("report.html");
                    new HtmlReporter().write(result, p);
                    written.add(p);
                }
                case "sarif" -> {
                    Path p = out.resolve("report.sarif");
                    new SarifReporter().write(result, p);
                    written.add(p);
                }
                case "junit" -> {
                    Path p = out.resolve("report.junit.xml");
                    new JunitReporter().write(result, p);
                    written.add(p);
                }
                case "markdown", "md" -> {
                    Path p = out.resolve("report.md");
                    new MarkdownReporter().write(result, p);
                    written.add(p);
                }
                case "text" -> {
                    Path p = out.resolve("report.txt");
                    new TextReporter().write(result, p);
                    written.add(p);
                }
                default -> throw new IllegalArgumentException("--format '" + f + "' is not one of " + FORMATS);
            }
        }
        return written;
    }
}
