package io.driftwatch.cli;

import io.driftwatch.policy.AuditResult;
import io.driftwatch.report.HtmlReporter;
import io.driftwatch.report.JsonReporter;
import io.driftwatch.report.JunitReporter;
import io.driftwatch.report.MarkdownReporter;
import io.driftwatch.report.ReportSet;
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

    /**
     * Checks {@code --out}, then removes the previous run's reports from it, so a failed run leaves none that
     * look clean.
     *
     * @throws IllegalArgumentException (exit 2) when {@code --out} names something that is not a folder
     * @throws io.driftwatch.base.OutputWriteException (exit 6) when a previous report cannot be deleted
     */
    void deleteStale() throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file, not a folder; give a folder for the"
                    + " reports (they are named report.json, report.html, ...)");
        }
        ReportSet.clear(out, REPORT_FILES);
    }

    /** Every file {@link #write} can write, one per format. */
    static final List<String> REPORT_FILES = List.of("report.json", "report.html", "report.sarif",
            "report.junit.xml", "report.md", "report.txt");

    /** The {@code --format} values, as listed in messages. */
    static final String FORMATS = "json, html, sarif, junit, markdown (md), text";

    private static final java.util.Set<String> FORMAT_WORDS =
            java.util.Set.of("json", "html", "sarif", "junit", "markdown", "md", "text");

    /**
     * Writes the reports as one set ({@link ReportSet}): all of them or, on any failure, none (and no earlier
     * report either); runs sharing {@code --out} leave one run's set, whole.
     *
     * @param result  the result
     * @return the files written, in the order asked
     * @throws io.driftwatch.base.OutputWriteException (exit 6) when a report cannot be written
     * @throws IllegalArgumentException for an unknown format, before any report is written
     */
    List<Path> write(AuditResult result) throws IOException {
        for (String f : formats) {
            if (!FORMAT_WORDS.contains(f.trim().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("--format '" + f + "' is not one of " + FORMATS);
            }
        }
        List<ReportSet.Entry> entries = new ArrayList<>();
        for (String f : formats) {
            ReportSet.Entry e = switch (f.trim().toLowerCase(Locale.ROOT)) {
                case "json" -> new ReportSet.Entry("report.json", p -> new JsonReporter().write(result, p));
                case "html" -> new ReportSet.Entry("report.html", p -> new HtmlReporter().write(result, p));
                case "sarif" -> new ReportSet.Entry("report.sarif", p -> new SarifReporter().write(result, p));
                case "junit" -> new ReportSet.Entry("report.junit.xml", p -> new JunitReporter().write(result, p));
                case "markdown", "md" -> new ReportSet.Entry("report.md", p -> new MarkdownReporter().write(result, p));
                case "text" -> new ReportSet.Entry("report.txt", p -> new TextReporter().write(result, p));
                default -> throw new IllegalArgumentException("--format '" + f + "' is not one of " + FORMATS);
            };
            if (entries.stream().noneMatch(x -> x.name().equals(e.name()))) {
                entries.add(e);
            }
        }
        return ReportSet.write(out, entries, REPORT_FILES);
    }
}
