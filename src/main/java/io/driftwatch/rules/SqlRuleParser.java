package io.driftwatch.rules;

import io.driftwatch.model.ObjectKind;
import io.driftwatch.policy.Rule;
import io.driftwatch.policy.Severity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a rule file: a header of SQL comments, then one query. No Calcite here; the query is only
 * checked to be a {@code SELECT}, {@code WITH} or {@code VALUES}.
 *
 * <pre>
 * -- id: ACME001
 * -- name: no-float-amounts
 * -- severity: warning
 * -- title: Money amount stored as floating point
 * -- message: column {schema_name}.{table_name}.{column_name} is {data_type}
 * -- object: column
 * -- description: Floating point cannot represent cents exactly;
 * --   sums drift.
 * -- fix: ALTER COLUMN ... TYPE numeric(12,2)
 * -- see: https://wiki.postgresql.org/wiki/Don't_Do_This
 *
 * SELECT schema_name, table_name, column_name, data_type FROM columns
 * WHERE side = 'expected' AND column_name LIKE '%amount%' AND data_type IN ('real', 'double precision')
 * </pre>
 *
 * <p>The header is the file's first block of {@code --} lines (leading blank lines allowed); it ends
 * at the first blank or non-comment line, after which everything is the query (which may hold its
 * own comments). Each header line is {@code -- key: value}; a line {@code --} followed by at least
 * two spaces continues the previous value (joined with one space). Keys: {@code id}, {@code name},
 * {@code severity}, {@code title}, {@code message} (required); {@code object}, {@code description},
 * {@code fix}, {@code see} (optional; {@code see} may repeat). Every problem is a
 * {@link RuleFileException} naming the file and line.
 */
public final class SqlRuleParser {

    /** Header keys, in the order the docs list them. */
    public static final List<String> KEYS = List.of("id", "name", "severity", "title", "message", "object",
            "description", "fix", "see");

    private static final Set<String> REQUIRED = Set.of("id", "name", "severity", "title", "message");
    private static final Pattern KEY_LINE = Pattern.compile("--\\s?([A-Za-z_-]+)\\s*:\\s?(.*)");
    private static final Pattern CONTINUATION = Pattern.compile("--\\s{2,}(\\S.*)");
    private static final Pattern QUERY_START = Pattern.compile("(?is)\\s*\\(*\\s*(select|with|values)\\b.*");

    private SqlRuleParser() {
    }

    /**
     * @param text a file's text
     * @return true when the file's header has an {@code -- id:} line, i.e. it is meant as a rule file
     *         (used to pick the rule files out of a project's {@code rules/} folder)
     */
    public static boolean looksLikeRule(String text) {
        for (String line : text.split("\\R", -1)) {
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            if (!l.startsWith("--")) {
                return false;
            }
            Matcher m = KEY_LINE.matcher(l);
            if (m.matches() && m.group(1).equalsIgnoreCase("id")) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param source the file as named to the user ({@code rules/x.sql})
     * @param text   its content
     * @return the rule
     * @throws RuleFileException for a missing, unknown or repeated key, a bad id, name, severity or
     *         object kind, or no query after the header
     */
    public static SqlRule parse(String source, String text) {
        String[] lines = text.split("\\R", -1);
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        List<String> see = new ArrayList<>();
        String last = null;
        int i = 0;
        while (i < lines.length && lines[i].isBlank()) {
            i++;
        }
        for (; i < lines.length; i++) {
            String l = lines[i].strip();
            if (!l.startsWith("--")) {
                break;
            }
            int n = i + 1;
            Matcher cont = CONTINUATION.matcher(lines[i].stripLeading());
            if (last != null && cont.matches()) {
                if (last.equals("see")) {
                    see.set(see.size() - 1, see.get(see.size() - 1) + " " + cont.group(1).strip());
                } else {
                    values.put(last, (values.get(last) + " " + cont.group(1).strip()).strip());
                }
                continue;
            }
            if (l.equals("--")) {
                continue;
            }
            Matcher m = KEY_LINE.matcher(l);
            if (!m.matches()) {
                throw new RuleFileException(source, n, "expected a header line '-- key: value' (keys: "
                        + String.join(", ", KEYS) + ") or an indented continuation '--   more text'");
            }
            String key = m.group(1).toLowerCase(Locale.ROOT);
            String value = m.group(2).strip();
            if (!KEYS.contains(key)) {
                throw new RuleFileException(source, n, "unknown header key '" + m.group(1) + "' (keys: "
                        + String.join(", ", KEYS) + ")");
            }
            if (key.equals("see")) {
                see.add(value);
            } else {
                if (values.containsKey(key)) {
                    throw new RuleFileException(source, n, "header key '" + key + "' given twice (first on line "
                            + lineOf.get(key) + ")");
                }
                values.put(key, value);
            }
            lineOf.putIfAbsent(key, n);
            last = key;
        }
        int sqlStart = i;
        for (String key : KEYS) {
            if (REQUIRED.contains(key) && (values.get(key) == null || values.get(key).isEmpty())) {
                throw new RuleFileException(source, lineOf.getOrDefault(key, 1), values.containsKey(key)
                        ? "header key '" + key + "' is empty"
                        : "the header has no '-- " + key + ":' line (required: id, name, severity, title, message)");
            }
        }
        String id = values.get("id");
        Severity severity = severity(source, lineOf.get("severity"), values.get("severity"));
        ObjectKind kind = null;
        if (values.get("object") != null && !values.get("object").isEmpty()) {
            kind = kind(values.get("object"));
            if (kind == null) {
                throw new RuleFileException(source, lineOf.get("object"), "unknown object kind '" + values.get("object")
                        + "' (e.g. table, column, index, constraint, sequence, view, schema, migration)");
            }
        }
        Rule rule;
        try {
            rule = Rule.custom(id, values.get("name"), severity, values.get("title"), values.getOrDefault("description", ""),
                    values.getOrDefault("fix", ""));
        } catch (IllegalArgumentException e) {
            boolean aboutName = e.getMessage() != null && e.getMessage().contains("kebab-case");
            throw new RuleFileException(source, lineOf.get(aboutName ? "name" : "id"), e.getMessage());
        }
        // the query: the rest of the file, lines kept as they are so Calcite's positions map back
        StringBuilder sql = new StringBuilder();
        int firstSqlLine = 0;
        for (int k = sqlStart; k < lines.length; k++) {
            if (firstSqlLine == 0) {
                if (lines[k].isBlank()) {
                    continue;
                }
                firstSqlLine = k + 1;
            }
            sql.append(lines[k]).append('\n');
        }
        String query = stripTrailingSemicolon(sql.toString());
        if (firstSqlLine == 0 || withoutComments(query).isBlank()) {
            int end = lines.length;
            while (end > 1 && lines[end - 1].isBlank()) {
                end--;
            }
            throw new RuleFileException(source, end, "no query after the header: add a SELECT over the "
                    + "rule tables (tables, columns, indexes, constraints, history, findings, ...)");
        }
        if (!QUERY_START.matcher(withoutComments(query)).matches()) {
            throw new RuleFileException(source, firstSqlLine, "the query must be one SELECT (or WITH ... SELECT, VALUES)");
        }
        return new SqlRule(rule, kind, values.get("message"), query, source, firstSqlLine, see, lineOf.get("id"),
                lineOf.get("message"));
    }

    /**
     * @param word {@code table}, {@code column}, {@code materialized view}, {@code MATERIALIZED_VIEW},
     *             {@code enum type}, {@code migration}, ...
     * @return the kind, or null when no kind has that name
     */
    public static ObjectKind kind(String word) {
        if (word == null) {
            return null;
        }
        String w = word.strip().toLowerCase(Locale.ROOT);
        if (w.equals("migration")) {
            return ObjectKind.HISTORY;
        }
        for (ObjectKind k : ObjectKind.values()) {
            if (k.name().toLowerCase(Locale.ROOT).equals(w.replace(' ', '_').replace('-', '_')) || k.label().equals(w)) {
                return k;
            }
        }
        return null;
    }

    private static Severity severity(String source, int line, String text) {
        for (Severity s : Severity.values()) {
            if (s.label().equalsIgnoreCase(text.strip())) {
                return s;
            }
        }
        throw new RuleFileException(source, line, "severity '" + text + "' is not one of error, warning, info");
    }

    /** Calcite rejects a trailing {@code ;}; files often end with one. */
    private static String stripTrailingSemicolon(String sql) {
        String s = sql.stripTrailing();
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).stripTrailing();
        }
        return s;
    }

    /** The query without its leading comment lines (to check how it starts). */
    private static String withoutComments(String sql) {
        StringBuilder sb = new StringBuilder();
        boolean start = true;
        for (String l : sql.split("\n", -1)) {
            if (start && (l.isBlank() || l.strip().startsWith("--"))) {
                continue;
            }
            start = false;
            sb.append(l).append('\n');
        }
        return sb.toString();
    }
}
