package io.driftwatch.policy;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses inline waivers: a {@code driftwatch:ignore} clause in an object's comment, so the waiver
 * lives with the object, e.g.
 * <pre>
 * COMMENT ON INDEX public.orders_report_idx IS 'driftwatch:ignore DW101 added by DBA for reporting';
 * COMMENT ON TABLE public.orders IS 'Orders. driftwatch:ignore DW107,DW111 until 2027-01-31 hotfix INC-42';
 * </pre>
 * Grammar (one clause per line of the comment; the marker is case-insensitive and may follow other
 * text): {@code driftwatch:ignore RULES [until YYYY-MM-DD] REASON [until YYYY-MM-DD]} where RULES is
 * one or more rule ids or slugs separated by commas (spaces around a comma allowed), REASON is the
 * rest of the line (a leading {@code :} or dash is dropped) and must not be empty. There is no
 * "ignore everything" word: a waiver names the rules it accepts. Pure; thread-safe.
 */
public final class InlineWaivers {

    /** The marker that starts a clause. */
    public static final String MARKER = "driftwatch:ignore";

    private static final Pattern MARKER_RE = Pattern.compile("(?i)driftwatch:ignore");
    private static final Pattern RULES = Pattern.compile("^\\s*([A-Za-z0-9_-]+(?:\\s*,\\s*[A-Za-z0-9_-]+)*)(.*)$",
            Pattern.DOTALL);
    private static final Pattern UNTIL_FIRST = Pattern.compile("(?i)^until\\s+(\\S+)\\s*(.*)$", Pattern.DOTALL);
    private static final Pattern UNTIL_LAST = Pattern.compile("(?i)^(.*?)\\s*\\buntil\\s+(\\S+)$", Pattern.DOTALL);

    private InlineWaivers() {
    }

    /**
     * One {@code driftwatch:ignore} clause.
     *
     * @param text    the clause as written, from the marker to the end of its line
     * @param rules   the rule ids or slugs it names (as written)
     * @param reason  its reason, or "" when missing
     * @param until   last day it holds, or null
     * @param problem why it is invalid (unknown rule, no reason, bad date), or null when it is valid
     */
    public record Clause(String text, List<String> rules, String reason, LocalDate until, String problem) {
        public Clause {
            rules = List.copyOf(rules);
        }

        /** @return true when the clause waives something */
        public boolean valid() {
            return problem == null;
        }
    }

    /**
     * @param comment   a comment's text, or null
     * @param knownRule tells whether a rule id or slug exists (built-in or loaded)
     * @return its clauses in order; empty when it has no marker
     */
    public static List<Clause> parse(String comment, Predicate<String> knownRule) {
        List<Clause> out = new ArrayList<>();
        if (comment == null) {
            return out;
        }
        Matcher m = MARKER_RE.matcher(comment);
        while (m.find()) {
            int end = lineEnd(comment, m.end());
            String text = comment.substring(m.start(), end).strip();
            out.add(clause(text, comment.substring(m.end(), end), knownRule));
        }
        return out;
    }

    /**
     * @param comment a comment's text, or null
     * @return the comment without its {@code driftwatch:ignore} clauses (each from the marker to the
     *         end of its line), trailing blanks of each line and blank lines removed, stripped; "" for
     *         null. Two comments that differ only by their waivers have equal stripped forms.
     */
    public static String strip(String comment) {
        if (comment == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (String line : comment.split("\n", -1)) {
            Matcher m = MARKER_RE.matcher(line);
            String kept = (m.find() ? line.substring(0, m.start()) : line).stripTrailing();
            if (!kept.isBlank()) {
                if (sb.length() > 0) {
                    sb.append('\n');
                }
                sb.append(kept);
            }
        }
        return sb.toString().strip();
    }

    /** @return true when the comment holds a {@code driftwatch:ignore} marker */
    public static boolean hasMarker(String comment) {
        return comment != null && MARKER_RE.matcher(comment).find();
    }

    private static int lineEnd(String s, int from) {
        int nl = s.indexOf('\n', from);
        return nl < 0 ? s.length() : nl;
    }

    private static Clause clause(String text, String body, Predicate<String> knownRule) {
        Matcher r = RULES.matcher(body);
        if (body.isEmpty() || !Character.isWhitespace(body.charAt(0)) || !r.matches()) {
            return new Clause(text, List.of(), "", null,
                    "names no rule: write driftwatch:ignore DW101 <reason>");
        }
        List<String> rules = new ArrayList<>();
        for (String id : r.group(1).split(",")) {
            rules.add(id.strip());
        }
        String rest = r.group(2).strip();
        LocalDate until = null;
        String badDate = null;
        Matcher first = UNTIL_FIRST.matcher(rest);
        Matcher last = UNTIL_LAST.matcher(rest);
        if (first.matches()) {
            badDate = first.group(1);
            rest = first.group(2);
        } else if (last.matches()) {
            badDate = last.group(2);
            rest = last.group(1);
        }
        if (badDate != null) {
            try {
                until = LocalDate.parse(badDate);
                badDate = null;
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        String reason = rest.replaceFirst("^[\\s:\\-\u2013\u2014]+", "").strip();
        List<String> unknown = rules.stream().filter(id -> !knownRule.test(id)).toList();
        String problem = null;
        if (!unknown.isEmpty()) {
            problem = "names unknown rule" + (unknown.size() == 1 ? " " : "s ") + String.join(", ", unknown);
        } else if (badDate != null) {
            problem = "'until " + badDate + "' is not a date (YYYY-MM-DD)";
        } else if (reason.isEmpty()) {
            problem = "gives no reason: write driftwatch:ignore " + String.join(",", rules)
                    + " <why this drift is accepted>";
        }
        return new Clause(text, rules, reason, until, problem);
    }
}
