package io.driftwatch.report;

import io.driftwatch.policy.AuditResult;
import io.driftwatch.base.Secrets;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Severity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Facts every report format derives the same way from an {@link AuditResult}: finding order,
 * the clean/drift status, the {@code --fail-on} word, object kind tokens and URL masking.
 */
final class ReportFacts {

    /** Report status when no finding is a warning or an error. */
    static final String CLEAN = "clean";
    /** Report status when some finding is a warning or an error. */
    static final String DRIFT = "drift";

    private static final Comparator<Finding> ORDER = Comparator
            .comparing(Finding::severity)
            .thenComparing(Finding::object)
            .thenComparing(Finding::rule);

    private static final Pattern PASSWORD_PARAM =
            Pattern.compile("((?:^|[?&;])(?i:password|pass|pwd)=)[^&;#]*");

    private ReportFacts() {
    }

    /**
     * @return the findings most severe first, then by object ({@link io.driftwatch.model.ObjectRef}
     *         order), then by rule id; a new list
     */
    static List<Finding> ordered(List<Finding> findings) {
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(ORDER);
        return sorted;
    }

    /**
     * @return {@link #DRIFT} when some finding no waiver accepts is at least a warning, or the schema was not
     *         compared (never clean then), else {@link #CLEAN} (info findings such as pending migrations are
     *         facts, not drift; waived drift is accepted)
     */
    static String status(AuditResult result) {
        return result.expected().notCompared() != null
                || result.findings().stream().anyMatch(f -> !f.waived() && f.severity().atLeast(Severity.WARNING))
                ? DRIFT : CLEAN;
    }

    /**
     * @param w a waiver
     * @return {@code waived: <reason> (<origin>, until <date>)}, the date only when it expires
     */
    static String waived(io.driftwatch.policy.Waiver w) {
        return "waived: " + w.reason() + " (" + w.origin() + (w.expires() == null ? "" : ", until " + w.expires()) + ")";
    }

    /**
     * @return how many objects the audit met but does not model ({@code DW178 not-audited} findings):
     *         a clean status then still says what was not compared
     */
    static long notAudited(AuditResult result) {
        return result.findings().stream().filter(f -> f.rule() == io.driftwatch.policy.Rule.DW178).count();
    }

    /** @return the {@code --fail-on} word: {@code error}, {@code warning}, {@code info} or {@code never} */
    static String failOn(AuditResult result) {
        return result.failOn() == null ? "never" : result.failOn().label();
    }

    /** @return the stable lower-case token of a kind, e.g. {@code materialized_view} */
    static String kindToken(ObjectKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Masks a password that slipped into a URL, as defence in depth (the audit already masks).
     *
     * @param url a JDBC or libpq URL, or null
     * @return the URL with {@code user:secret@} and {@code password=secret} replaced by
     *         {@code user:***@} and {@code password=***}; null for null
     */
    static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        return Secrets.maskUrl(url);
    }

    /**
     * Makes invisible and text-reordering characters visible ({@link io.driftwatch.model.OneLine}), so a hostile
     * name cannot start a line, hide, reorder or recolour what a report shows: C0 controls, DEL, C1 controls, line/paragraph
     * separators and bidirectional marks, embeddings, overrides and isolates become a six-character
     * backslash-u escape (ESC becomes the text {@code \\u001b}).
     *
     * @param s             text, or null
     * @param keepLineBreaks true to keep {@code \n}, {@code \r} and tab as they are (for multi-line SQL)
     * @return the text with those characters escaped; empty for null
     */
    static String showControls(String s, boolean keepLineBreaks) {
        return keepLineBreaks ? io.driftwatch.model.OneLine.keepingBreaks(s) : io.driftwatch.model.OneLine.of(s);
    }
}
