package io.driftwatch.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the few parts {@link DataProbes} needs out of the server's own deparsed text
 * ({@code pg_get_constraintdef}, {@code pg_get_indexdef}), which is regular: identifiers are bare
 * ({@code [a-z0-9_$]}) or double-quoted with {@code ""} escapes, literals single-quoted with
 * {@code ''} escapes (an {@code E} prefix allows backslash escapes).
 *
 * <p>Every method is total over hostile names: a quote, a parenthesis or a keyword inside a quoted
 * identifier or a literal never ends a list or matches a keyword. A text that does not have the
 * expected shape yields {@link Optional#empty()}, never an exception.
 */
final class DefinitionText {

    private DefinitionText() {
    }

    /** A schema-qualified name. {@code schema} is null when the text had none. */
    record QualifiedName(String schema, String name) {
    }

    /** One key of a unique index: the SQL text to group by, and whether it is a plain column. */
    record IndexKey(String sql, String column) {
        boolean isColumn() {
            return column != null;
        }
    }

    /**
     * @param definition e.g. {@code CHECK ((price > 0)) NOT VALID}
     * @return the expression inside {@code CHECK ( ... )}, e.g. {@code (price > 0)}
     */
    static Optional<String> checkExpression(String definition) {
        int open = firstTopLevel(definition, '(', 0);
        if (open < 0 || !blankQuoted(definition.substring(0, open)).trim().equalsIgnoreCase("CHECK")) {
            return Optional.empty();
        }
        int close = matching(definition, open);
        return close < 0 ? Optional.empty() : Optional.of(definition.substring(open + 1, close).trim());
    }

    /**
     * @param definition constraint text
     * @return true when it ends in {@code NOT VALID} outside quotes (the constraint skips existing rows)
     */
    static boolean notValid(String definition) {
        return blankQuoted(definition).trim().toUpperCase(Locale.ROOT).endsWith(" NOT VALID");
    }

    /**
     * @param text    deparsed text
     * @param keyword upper-case words separated by single spaces, e.g. {@code NULLS NOT DISTINCT}
     * @return true when the words occur outside quoted identifiers, literals and parentheses
     */
    static boolean hasKeyword(String text, String keyword) {
        String bare = blankParenthesised(blankQuoted(text)).toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        return (" " + bare + " ").contains(" " + keyword + " ");
    }

    /**
     * @param definition e.g. {@code FOREIGN KEY (a, "b c") REFERENCES public.p(x, "y z") MATCH FULL}
     * @return the referenced table and its columns, in key order
     */
    static Optional<ForeignKeyTarget> foreignKeyTarget(String definition) {
        String bare = blankQuoted(definition);
        int at = indexOfWord(bare, "REFERENCES");
        if (at < 0) {
            return Optional.empty();
        }
        Cursor c = new Cursor(definition, at + "REFERENCES".length());
        Optional<QualifiedName> table = c.qualifiedName();
        if (table.isEmpty()) {
            return Optional.empty();
        }
        c.skipSpace();
        if (!c.eat('(')) {
            return Optional.empty();
        }
        Optional<List<String>> cols = c.identifierListUntilClose();
        return cols.map(list -> new ForeignKeyTarget(table.get(), list));
    }

    /** The {@code REFERENCES} side of a foreign key. */
    record ForeignKeyTarget(QualifiedName table, List<String> columns) {
        ForeignKeyTarget {
            columns = List.copyOf(columns);
        }
    }

    /**
     * @param text e.g. {@code public."Order Lines"} or {@code orders}
     * @return the parts, or empty when the text is not one possibly-qualified name
     */
    static Optional<QualifiedName> qualifiedName(String text) {
        Cursor c = new Cursor(text, 0);
        Optional<QualifiedName> q = c.qualifiedName();
        c.skipSpace();
        return q.isPresent() && c.atEnd() ? q : Optional.empty();
    }

    /**
     * The key part of a {@code pg_get_indexdef} text, {@code CREATE UNIQUE INDEX n ON t USING m (keys) ...}.
     *
     * @param definition index definition
     * @return one entry per key; empty when a key is neither a column nor a parenthesised expression or
     *         function call (the caller then skips the probe and says so)
     */
    static Optional<List<IndexKey>> indexKeys(String definition) {
        int open = firstTopLevel(definition, '(', 0);
        if (open < 0) {
            return Optional.empty();
        }
        int close = matching(definition, open);
        if (close < 0) {
            return Optional.empty();
        }
        List<IndexKey> keys = new ArrayList<>();
        for (String element : splitTopLevel(definition.substring(open + 1, close))) {
            Optional<IndexKey> k = indexKey(element.trim());
            if (k.isEmpty()) {
                return Optional.empty();
            }
            keys.add(k.get());
        }
        return keys.isEmpty() ? Optional.empty() : Optional.of(keys);
    }

    /**
     * @param definition index definition
     * @return the text after the key list ({@code INCLUDE (...) NULLS NOT DISTINCT WITH (...) WHERE ...})
     */
    static String afterIndexKeys(String definition) {
        int open = firstTopLevel(definition, '(', 0);
        int close = open < 0 ? -1 : matching(definition, open);
        return close < 0 ? "" : definition.substring(close + 1);
    }

    private static Optional<IndexKey> indexKey(String element) {
        Cursor c = new Cursor(element, 0);
        String expression;
        String column = null;
        if (c.peek() == '(') {
            int close = matching(element, 0);
            if (close < 0) {
                return Optional.empty();
            }
            expression = element.substring(0, close + 1);
            c.pos = close + 1;
        } else {
            int start = c.pos;
            Optional<String> ident = c.identifier();
            if (ident.isEmpty()) {
                return Optional.empty();
            }
            if (c.peek() == '.') { // schema-qualified function, e.g. public.norm(email)
                c.pos++;
                if (c.identifier().isEmpty() || c.peek() != '(') {
                    return Optional.empty();
                }
            }
            if (c.peek() == '(') { // function call, e.g. lower(email)
                int close = matching(element, c.pos);
                if (close < 0) {
                    return Optional.empty();
                }
                expression = element.substring(start, close + 1);
                c.pos = close + 1;
            } else {
                column = ident.get();
                expression = io.driftwatch.model.Identifiers.quote(column);
            }
        }
        // what may follow a key: COLLATE name, an operator class (possibly qualified, with
        // parenthesised options), ASC/DESC, NULLS FIRST/LAST
        String rest = element.substring(c.pos).trim();
        String collate = null;
        Cursor r = new Cursor(rest, 0);
        while (!r.atEnd()) {
            r.skipSpace();
            if (r.atEnd()) {
                break;
            }
            int wordStart = r.pos;
            Optional<QualifiedName> word = r.qualifiedName();
            if (word.isEmpty()) {
                if (r.peek() == '(') { // operator class options
                    int close = matching(rest, r.pos);
                    if (close < 0) {
                        return Optional.empty();
                    }
                    r.pos = close + 1;
                    continue;
                }
                return Optional.empty();
            }
            if (word.get().schema() == null && rest.charAt(wordStart) != '"'
                    && word.get().name().equalsIgnoreCase("COLLATE")) {
                r.skipSpace();
                int collStart = r.pos;
                if (r.qualifiedName().isEmpty()) {
                    return Optional.empty();
                }
                collate = rest.substring(collStart, r.pos);
            }
        }
        String sql = collate == null ? expression : "(" + expression + " COLLATE " + collate + ")";
        return Optional.of(new IndexKey(sql, collate == null ? column : null));
    }

    /** Replaces the contents of quoted identifiers and literals with spaces (positions kept). */
    static String blankQuoted(String text) {
        StringBuilder sb = new StringBuilder(text);
        int i = 0;
        while (i < text.length()) {
            char ch = text.charAt(i);
            if (ch == '"' || ch == '\'') {
                int end = endOfQuoted(text, i);
                for (int j = i + 1; j < Math.min(end, text.length()); j++) {
                    sb.setCharAt(j, ' ');
                }
                i = end + 1;
            } else {
                i++;
            }
        }
        return sb.toString();
    }

    private static String blankParenthesised(String blankedQuotes) {
        StringBuilder sb = new StringBuilder(blankedQuotes);
        int depth = 0;
        for (int i = 0; i < sb.length(); i++) {
            char ch = sb.charAt(i);
            if (ch == '(') {
                depth++;
                sb.setCharAt(i, ' ');
            } else if (ch == ')') {
                depth = Math.max(0, depth - 1);
                sb.setCharAt(i, ' ');
            } else if (depth > 0) {
                sb.setCharAt(i, ' ');
            }
        }
        return sb.toString();
    }

    /** @return index of the closing quote of the quoted run starting at {@code start}, or length */
    private static int endOfQuoted(String text, int start) {
        char q = text.charAt(start);
        boolean backslash = q == '\'' && start > 0 && (text.charAt(start - 1) == 'E' || text.charAt(start - 1) == 'e');
        int i = start + 1;
        while (i < text.length()) {
            char ch = text.charAt(i);
            if (backslash && ch == '\\') {
                i += 2;
                continue;
            }
            if (ch == q) {
                if (i + 1 < text.length() && text.charAt(i + 1) == q) {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        return text.length();
    }

    private static int firstTopLevel(String text, char wanted, int from) {
        String bare = blankQuoted(text);
        return bare.indexOf(wanted, from);
    }

    /** @return index of the parenthesis closing the one at {@code open}, or -1 */
    static int matching(String text, int open) {
        String bare = blankQuoted(text);
        int depth = 0;
        for (int i = open; i < bare.length(); i++) {
            char ch = bare.charAt(i);
            if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static List<String> splitTopLevel(String list) {
        String bare = blankQuoted(list);
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < bare.length(); i++) {
            char ch = bare.charAt(i);
            if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
            } else if (ch == ',' && depth == 0) {
                out.add(list.substring(start, i));
                start = i + 1;
            }
        }
        if (!list.substring(start).isBlank()) {
            out.add(list.substring(start));
        }
        return out;
    }

    private static int indexOfWord(String bare, String word) {
        String upper = bare.toUpperCase(Locale.ROOT);
        int from = 0;
        while (true) {
            int at = upper.indexOf(word, from);
            if (at < 0) {
                return -1;
            }
            boolean startOk = at == 0 || !Character.isLetterOrDigit(upper.charAt(at - 1));
            int end = at + word.length();
            boolean endOk = end >= upper.length() || !Character.isLetterOrDigit(upper.charAt(end));
            if (startOk && endOk) {
                return at;
            }
            from = at + 1;
        }
    }

    /** A position in deparsed text that reads identifiers. */
    private static final class Cursor {
        private final String text;
        private int pos;

        Cursor(String text, int pos) {
            this.text = text;
            this.pos = pos;
        }

        boolean atEnd() {
            return pos >= text.length();
        }

        char peek() {
            return atEnd() ? '\0' : text.charAt(pos);
        }

        void skipSpace() {
            while (!atEnd() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        boolean eat(char ch) {
            if (peek() == ch) {
                pos++;
                return true;
            }
            return false;
        }

        Optional<String> identifier() {
            skipSpace();
            if (atEnd()) {
                return Optional.empty();
            }
            if (text.charAt(pos) == '"') {
                int end = endOfQuoted(text, pos);
                if (end >= text.length()) {
                    return Optional.empty();
                }
                String name = text.substring(pos + 1, end).replace("\"\"", "\"");
                pos = end + 1;
                return name.isEmpty() ? Optional.empty() : Optional.of(name);
            }
            int start = pos;
            while (!atEnd()) {
                char ch = text.charAt(pos);
                if (Character.isLetterOrDigit(ch) || ch == '_' || ch == '$') {
                    pos++;
                } else {
                    break;
                }
            }
            return pos == start ? Optional.empty() : Optional.of(text.substring(start, pos));
        }

        Optional<QualifiedName> qualifiedName() {
            Optional<String> first = identifier();
            if (first.isEmpty()) {
                return Optional.empty();
            }
            if (peek() == '.') {
                pos++;
                Optional<String> second = identifier();
                return second.map(n -> new QualifiedName(first.get(), n));
            }
            return Optional.of(new QualifiedName(null, first.get()));
        }

        /** Reads {@code a, "b c")} after an opening parenthesis. */
        Optional<List<String>> identifierListUntilClose() {
            List<String> out = new ArrayList<>();
            while (true) {
                Optional<String> id = identifier();
                if (id.isEmpty()) {
                    return Optional.empty();
                }
                out.add(id.get());
                skipSpace();
                if (eat(',')) {
                    continue;
                }
                return eat(')') ? Optional.of(out) : Optional.empty();
            }
        }
    }
}
