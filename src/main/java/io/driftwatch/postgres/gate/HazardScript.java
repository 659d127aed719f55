package io.driftwatch.postgres.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a migration script's SQL text says that the catalog cannot: whether an index was built
 * {@code CONCURRENTLY}, whether a constraint was added {@code USING INDEX}, whether the script sets
 * {@code lock_timeout}. The catalog after the migration looks the same either way.
 *
 * <p>The text is scanned, not parsed: comments ({@code --}, nested {@code /* *}{@code /}) are
 * removed and the contents of string literals ({@code '...'}, {@code E'...'}) and dollar-quoted
 * bodies ({@code $tag$...$tag$}) blanked, keeping every offset, so a commented-out statement or a
 * statement inside a {@code DO} block or function body (which could never run {@code CONCURRENTLY}
 * anyway) is not taken for one the script runs. Identifiers are compared as PostgreSQL resolves
 * them: a quoted name verbatim (doubled quotes undone), a bare one folded to lower case (ASCII
 * letters only, as the server does in UTF-8).
 */
final class HazardScript {

    /** A bare or quoted identifier. */
    private static final String ID = "(?:\"(?:[^\"]|\"\")+\"|[\\p{L}_][\\p{L}\\p{N}_$]*)";
    /** A possibly qualified name; the last part is what is compared. */
    private static final String QID = ID + "(?:\\s*\\.\\s*" + ID + ")*";
    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;

    private static final Pattern CREATE_INDEX = Pattern.compile("\\bCREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+"
            + "(CONCURRENTLY\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?(?:(" + ID + ")\\s+)?ON\\s+(?:ONLY\\s+)?(" + QID + ")", FLAGS);
    private static final Pattern DROP_INDEX_CONCURRENTLY = Pattern.compile("\\bDROP\\s+INDEX\\s+CONCURRENTLY\\s+"
            + "(?:IF\\s+EXISTS\\s+)?(" + QID + "(?:\\s*,\\s*" + QID + ")*)", FLAGS);
    private static final Pattern REINDEX_CONCURRENTLY = Pattern.compile("\\bREINDEX\\s+(?:\\([^)]*\\)\\s*)?INDEX\\s+"
            + "CONCURRENTLY\\s+(" + QID + ")", FLAGS);
    private static final Pattern USING_INDEX = Pattern.compile("\\bADD\\s+(?:CONSTRAINT\\s+(" + ID + ")\\s+)?"
            + "(?:PRIMARY\\s+KEY|UNIQUE)\\s+USING\\s+INDEX\\s+(" + ID + ")", FLAGS);
    private static final Pattern LOCK_TIMEOUT = Pattern.compile("\\bSET\\s+(?:LOCAL\\s+|SESSION\\s+)?lock_timeout"
            + "\\s*(?:=|\\bTO\\b)\\s*('[^']*'|[^\\s;]+)", FLAGS);
    private static final Pattern VALIDATE = Pattern.compile("\\bVALIDATE\\s+CONSTRAINT\\s+(" + ID + ")", FLAGS);
    private static final Pattern ZERO = Pattern.compile("'?\\s*0+\\s*(?:us|ms|s|min|h|d)?\\s*'?|DEFAULT",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern PART = Pattern.compile(ID);
    private static final Pattern QUALIFIED = Pattern.compile(QID);

    /** One {@code CREATE INDEX}: its name (null when the server names it), its table's last name part. */
    private record IndexBuild(String name, String table, boolean concurrently) {
    }

    private final String raw;
    private final String code;
    private final List<IndexBuild> builds = new ArrayList<>();

    /**
     * @param sql the script's text; null is read as empty
     */
    HazardScript(String sql) {
        this.raw = sql == null ? "" : sql;
        this.code = blank(raw);
        Matcher m = CREATE_INDEX.matcher(code);
        while (m.find()) {
            builds.add(new IndexBuild(m.group(2) == null ? null : name(m.group(2)), lastPart(m.group(3)),
                    m.group(1) != null));
        }
    }

    /**
     * Whether the script builds an index {@code CONCURRENTLY}: the statement creating an index named
     * {@code index} decides; when no statement names it, an unnamed {@code CREATE INDEX CONCURRENTLY
     * ON table} (the server picked the name) counts.
     *
     * @param index index name as in the catalog
     * @param table the name of its table, without schema
     * @return true when the index is built concurrently; false when built without, or not by a
     *         statement of the script that the scan can see
     */
    boolean buildsConcurrently(String index, String table) {
        boolean named = false;
        for (IndexBuild b : builds) {
            if (index.equals(b.name())) {
                named = true;
                if (!b.concurrently()) {
                    return false;
                }
            }
        }
        if (named) {
            return true;
        }
        return builds.stream().anyMatch(b -> b.name() == null && b.concurrently() && table.equals(b.table()));
    }

    /**
     * @param index index name
     * @return true when the script has a {@code CREATE INDEX} statement with that name
     */
    boolean buildsIndex(String index) {
        return builds.stream().anyMatch(b -> index.equals(b.name()));
    }

    /**
     * @param index index name (without schema)
     * @return true when the script drops it with {@code DROP INDEX CONCURRENTLY}
     */
    boolean dropsConcurrently(String index) {
        Matcher m = DROP_INDEX_CONCURRENTLY.matcher(code);
        while (m.find()) {
            Matcher q = QUALIFIED.matcher(m.group(1));
            while (q.find()) {
                if (index.equals(lastPart(q.group()))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * @param index index name (without schema)
     * @return true when the script rebuilds it with {@code REINDEX INDEX CONCURRENTLY}
     */
    boolean reindexesConcurrently(String index) {
        Matcher m = REINDEX_CONCURRENTLY.matcher(code);
        while (m.find()) {
            if (index.equals(lastPart(m.group(1)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The index a primary key or unique constraint was made from: {@code ADD [CONSTRAINT c]
     * {PRIMARY KEY | UNIQUE} USING INDEX i}. Without {@code CONSTRAINT c} the constraint takes the
     * index's name (PostgreSQL docs, ALTER TABLE, "ADD table_constraint_using_index").
     *
     * @param constraint constraint name as in the catalog
     * @return the index name, or null when the constraint was not added {@code USING INDEX}
     */
    String usingIndex(String constraint) {
        Matcher m = USING_INDEX.matcher(code);
        while (m.find()) {
            String index = name(m.group(2));
            String con = m.group(1) == null ? index : name(m.group(1));
            if (constraint.equals(con)) {
                return index;
            }
        }
        return null;
    }

    /**
     * @param index index name (without schema)
     * @return true when the script turns it into a primary key or unique constraint ({@code USING
     *         INDEX}): it leaves the catalog's plain indexes but is not dropped
     */
    boolean becomesConstraint(String index) {
        Matcher m = USING_INDEX.matcher(code);
        while (m.find()) {
            if (index.equals(name(m.group(2)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param constraint constraint name
     * @return true when the script runs {@code VALIDATE CONSTRAINT} on it
     */
    boolean validates(String constraint) {
        Matcher m = VALIDATE.matcher(code);
        while (m.find()) {
            if (constraint.equals(name(m.group(1)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return true when the script sets a non-zero {@code lock_timeout} ({@code SET [LOCAL | SESSION]
     *         lock_timeout = ... | TO ...}), so a lock it cannot get fails the deploy instead of
     *         queueing every other session behind it
     */
    boolean setsLockTimeout() {
        Matcher m = LOCK_TIMEOUT.matcher(code);
        boolean set = false;
        while (m.find()) {
            // the value may be a literal, blanked in code: read it from the raw text at the same offsets
            String value = raw.substring(m.start(1), m.end(1)).trim();
            set = !ZERO.matcher(value).matches();
        }
        return set;
    }

    /** @return the identifier as the server resolves it */
    static String name(String identifier) {
        if (identifier.startsWith("\"")) {
            return identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"");
        }
        StringBuilder sb = new StringBuilder(identifier.length());
        for (char ch : identifier.toCharArray()) {
            sb.append(ch >= 'A' && ch <= 'Z' ? (char) (ch + ('a' - 'A')) : ch);
        }
        return sb.toString();
    }

    /** @return the resolved last part of a possibly qualified name */
    static String lastPart(String qualified) {
        Matcher m = PART.matcher(qualified);
        String last = qualified;
        while (m.find()) {
            last = m.group();
        }
        return name(last);
    }

    /**
     * @param sql SQL text
     * @return the same text, same length, with comments replaced by spaces and the insides of string
     *         literals and dollar-quoted bodies replaced by spaces (line breaks kept)
     */
    static String blank(String sql) {
        char[] out = sql.toCharArray();
        int n = out.length;
        int i = 0;
        while (i < n) {
            char c = out[i];
            if (c == '-' && i + 1 < n && out[i + 1] == '-') {
                while (i < n && out[i] != '\n') {
                    out[i++] = ' ';
                }
            } else if (c == '/' && i + 1 < n && out[i + 1] == '*') {
                int depth = 0;
                do {
                    if (out[i] == '/' && i + 1 < n && out[i + 1] == '*') {
                        depth++;
                        space(out, i++);
                        space(out, i++);
                    } else if (out[i] == '*' && i + 1 < n && out[i + 1] == '/') {
                        depth--;
                        space(out, i++);
                        space(out, i++);
                    } else {
                        space(out, i++);
                    }
                } while (i < n && depth > 0);
            } else if (c == '\'') {
                boolean escapes = i > 0 && (out[i - 1] == 'E' || out[i - 1] == 'e')
                        && (i < 2 || !Character.isLetterOrDigit(out[i - 2]) && out[i - 2] != '_');
                i++;
                while (i < n) {
                    if (escapes && out[i] == '\\' && i + 1 < n) {
                        space(out, i++);
                        space(out, i++);
                    } else if (out[i] == '\'' && i + 1 < n && out[i + 1] == '\'') {
                        space(out, i++);
                        space(out, i++);
                    } else if (out[i] == '\'') {
                        i++;
                        break;
                    } else {
                        space(out, i++);
                    }
                }
            } else if (c == '"') {
                i++;
                while (i < n) {
                    if (out[i] == '"' && i + 1 < n && out[i + 1] == '"') {
                        i += 2;
                    } else if (out[i++] == '"') {
                        break;
                    }
                }
            } else if (c == '$' && (i == 0 || !isIdentifierChar(out[i - 1]))) {
                Matcher tag = DOLLAR_TAG.matcher(sql).region(i, n);
                if (tag.lookingAt()) {
                    String t = tag.group();
                    int end = sql.indexOf(t, i + t.length());
                    int stop = end < 0 ? n : end;
                    for (int k = i + t.length(); k < stop; k++) {
                        space(out, k);
                    }
                    i = end < 0 ? n : end + t.length();
                } else {
                    i++;
                }
            } else {
                i++;
            }
        }
        return new String(out);
    }

    private static final Pattern DOLLAR_TAG = Pattern.compile("\\$(?:[\\p{L}_][\\p{L}\\p{N}_]*)?\\$");

    private static boolean isIdentifierChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static void space(char[] out, int i) {
        if (out[i] != '\n' && out[i] != '\r') {
            out[i] = ' ';
        }
    }
}
