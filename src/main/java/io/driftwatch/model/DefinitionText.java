package io.driftwatch.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads parts of the server's own deparsed definition text ({@code pg_get_constraintdef},
 * {@code pg_get_indexdef}, and {@code schema.name} as {@code quote_ident} renders it) for the gate's
 * data probes and the SQL-rules tables. That text is regular: identifiers are bare
 * ({@code [a-z0-9_$]}) or double-quoted with {@code ""} escapes, literals single-quoted with
 * {@code ''} escapes (an {@code E} prefix allows backslash escapes), parentheses nest.
 *
 * <p>Every method is total over hostile names: a quote, a comma, a parenthesis or a keyword inside a
 * quoted identifier or a literal never ends a list or matches a keyword. Text that does not have the
 * expected shape yields an empty result (as each method says), never an exception. All reading goes
 * through one tokenizer and one quoted-run scanner. Pure and thread-safe.
 */
public final class DefinitionText {

    private DefinitionText() {
    }

    /**
     * A schema-qualified name, unquoted.
     *
     * @param schema the schema, or null when the text had none
     * @param name   the object name, never null
     */
    public record QualifiedName(String schema, String name) {
    }

    /**
     * One key of a unique index.
     *
     * @param sql    the SQL text to group by: a quoted column, a parenthesised expression or a function
     *               call, wrapped as {@code (key COLLATE c)} when the key has a collation
     * @param column the column name (unquoted) when the key is a plain column without collation, else null
     */
    public record IndexKey(String sql, String column) {
        /** @return true when {@link #column()} is not null (the key is a plain column) */
        public boolean isColumn() {
            return column != null;
        }
    }

    /**
     * The {@code REFERENCES} side of a foreign key, as {@link #foreignKeyTarget(String)} reads it.
     *
     * @param table   the referenced table
     * @param columns the referenced columns, unquoted, in key order (an immutable copy)
     */
    public record ForeignKeyTarget(QualifiedName table, List<String> columns) {
        /** Copies {@code columns}. */
        public ForeignKeyTarget {
            columns = List.copyOf(columns);
        }
    }

    /**
     * The key lists of an index or constraint, as {@link #keyList(String)} reads them.
     *
     * @param keys    the key elements in order, each as the definition writes it, e.g.
     *                {@code email}, {@code lower(email)}, {@code created_at DESC}
     * @param include the {@code INCLUDE} columns, unquoted (null for an element that is not a plain
     *                column); empty when none
     */
    public record KeyList(List<String> keys, List<String> include) {
    }

    /**
     * The {@code REFERENCES} side of a foreign key, as {@link #references(String)} reads it.
     *
     * @param table   the referenced table's parts ({@code [schema, table]}), unquoted
     * @param columns the referenced columns, unquoted; empty when the text lists none
     */
    public record References(List<String> table, List<String> columns) {
    }

    // ---------------------------------------------------------------- constraint text

    /**
     * @param definition constraint text, not null, e.g. {@code CHECK ((price > 0)) NOT VALID}
     * @return the expression inside {@code CHECK ( ... )}, e.g. {@code (price > 0)}; empty when the
     *         text is not a check or its parentheses do not close
     */
    public static Optional<String> checkExpression(String definition) {
        int open = firstTopLevel(definition, '(', 0);
        if (open < 0 || !blankQuoted(definition.substring(0, open)).trim().equalsIgnoreCase("CHECK")) {
            return Optional.empty();
        }
        int close = matching(definition, open);
        return close < 0 ? Optional.empty() : Optional.of(definition.substring(open + 1, close).trim());
    }

    /**
     * @param definition constraint text, not null
     * @return true when it ends in {@code NOT VALID} outside quotes (the constraint skips existing rows)
     */
    public static boolean notValid(String definition) {
        return blankQuoted(definition).trim().toUpperCase(Locale.ROOT).endsWith(" NOT VALID");
    }

    /**
     * @param text    deparsed text, not null
     * @param keyword upper-case words separated by single spaces, e.g. {@code NULLS NOT DISTINCT}
     * @return true when the words occur outside quoted identifiers, literals and parentheses
     */
    public static boolean hasKeyword(String text, String keyword) {
        String bare = blankParenthesised(blankQuoted(text)).toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        return (" " + bare + " ").contains(" " + keyword + " ");
    }

    /**
     * The strict reading of a foreign key's target (one- or two-part table name, at least one column);
     * {@link #references(String)} is the lenient one.
     *
     * @param definition constraint text, not null, e.g.
     *                   {@code FOREIGN KEY (a, "b c") REFERENCES public.p(x, "y z") MATCH FULL}
     * @return the referenced table and its columns, in key order; empty when the text has no
     *         {@code REFERENCES} word outside quotes or no readable {@code name(col, ...)} after it
     */
    public static Optional<ForeignKeyTarget> foreignKeyTarget(String definition) {
        String bare = blankQuoted(definition);
        int at = indexOfWord(bare, "REFERENCES");
        if (at < 0) {
            return Optional.empty();
        }
        Tokenizer c = new Tokenizer(definition, at + "REFERENCES".length());
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

    /**
     * The lenient reading of a foreign key's target: any number of name parts, columns optional.
     *
     * @param definition constraint text or null, e.g.
     *                   {@code FOREIGN KEY (a) REFERENCES public.t(id) ON DELETE CASCADE}
     * @return the referenced table and columns, or null when the text is null or has no
     *         {@code REFERENCES} word outside quotes
     */
    public static References references(String definition) {
        if (definition == null) {
            return null;
        }
        Tokenizer lx = new Tokenizer(definition, 0);
        Token t;
        while ((t = lx.next()) != null) {
            if (t.word("REFERENCES")) {
                List<String> table = new ArrayList<>();
                Token n = lx.next();
                while (n != null && n.identifier()) {
                    table.add(n.value());
                    n = lx.next();
                    if (n != null && ".".equals(n.value()) && !n.quoted()) {
                        n = lx.next();
                    } else {
                        break;
                    }
                }
                List<String> cols = List.of();
                if (n != null && "(".equals(n.value()) && !n.quoted()) {
                    cols = list(definition, n.start(), new int[1]).stream().map(DefinitionText::columnOf).toList();
                }
                return new References(table, cols);
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- names

    /**
     * The strict reading of a name: exactly one or two parts and nothing after them.
     *
     * @param text not null, e.g. {@code public."Order Lines"} or {@code orders}
     * @return the parts, unquoted; empty when the text is not one possibly-qualified name
     */
    public static Optional<QualifiedName> qualifiedName(String text) {
        Tokenizer c = new Tokenizer(text, 0);
        Optional<QualifiedName> q = c.qualifiedName();
        c.skipSpace();
        return q.isPresent() && c.atEnd() ? q : Optional.empty();
    }

    /**
     * The lenient reading of a name: any number of dot-separated parts.
     *
     * @param text null, or e.g. {@code public.orders}, {@code "My Schema"."Order ""Lines"""},
     *             {@code public.t.c}
     * @return the parts in order, unquoted; an empty list for null, empty or unreadable text
     */
    public static List<String> nameParts(String text) {
        List<String> parts = new ArrayList<>();
        if (text == null) {
            return parts;
        }
        Tokenizer lx = new Tokenizer(text, 0);
        while (true) {
            Token t = lx.next();
            if (t == null || !t.identifier()) {
                return t == null ? parts : List.of();
            }
            parts.add(t.value());
            Token dot = lx.next();
            if (dot == null) {
                return parts;
            }
            if (!".".equals(dot.value()) || dot.quoted()) {
                return List.of();
            }
        }
    }

    // ---------------------------------------------------------------- index text

    /**
     * The key part of a {@code pg_get_indexdef} text,
     * {@code CREATE UNIQUE INDEX n ON t USING m (keys) ...}, as SQL the gate can group by.
     *
     * @param definition index definition, not null
     * @return one entry per key; empty when a key is neither a column nor a parenthesised expression or
     *         function call (the caller then skips the probe and says so)
     */
    public static Optional<List<IndexKey>> indexKeys(String definition) {
        int open = firstTopLevel(definition, '(', 0);
        if (open < 0) {
            return Optional.empty();
        }
        if (matching(definition, open) < 0) {
            return Optional.empty();
        }
        List<IndexKey> keys = new ArrayList<>();
        for (String element : list(definition, open, new int[1])) {
            Optional<IndexKey> k = indexKey(element.trim());
            if (k.isEmpty()) {
                return Optional.empty();
            }
            keys.add(k.get());
        }
        return keys.isEmpty() ? Optional.empty() : Optional.of(keys);
    }

    /**
     * @param definition index definition, not null
     * @return the text after the key list ({@code INCLUDE (...) NULLS NOT DISTINCT WITH (...) WHERE ...});
     *         {@code ""} when the text has no closed key list
     */
    public static String afterIndexKeys(String definition) {
        int open = firstTopLevel(definition, '(', 0);
        int close = open < 0 ? -1 : matching(definition, open);
        return close < 0 ? "" : definition.substring(close + 1);
    }

    /**
     * The key list of an index or constraint definition, element by element as written: the first
     * parenthesised list after {@code USING method} (indexes, exclusion constraints) or the first one
     * at all (primary key, unique), and the list after {@code INCLUDE}.
     *
     * @param definition null, or e.g. {@code CREATE INDEX ... USING btree (a, lower(b)) INCLUDE (c) WHERE ...}
     *                   or {@code UNIQUE NULLS NOT DISTINCT (a, b)}
     * @return the lists; empty lists when the text is null or has no key list
     */
    public static KeyList keyList(String definition) {
        if (definition == null) {
            return new KeyList(List.of(), List.of());
        }
        Tokenizer lx = new Tokenizer(definition, 0);
        Token t;
        boolean sawUsing = false;
        boolean isIndex = definition.regionMatches(true, 0, "CREATE ", 0, 7);
        int open = -1;
        while ((t = lx.next()) != null) {
            if (t.word("USING")) {
                sawUsing = true;
            }
            if ("(".equals(t.value()) && !t.quoted() && t.kind() == Kind.PUNCT && (sawUsing || !isIndex)) {
                open = t.start();
                break;
            }
        }
        if (open < 0) {
            return new KeyList(List.of(), List.of());
        }
        int[] end = new int[1];
        List<String> keys = list(definition, open, end);
        List<String> include = List.of();
        Tokenizer after = new Tokenizer(definition, end[0]);
        Token w = after.next();
        if (w != null && w.word("INCLUDE")) {
            Token p = after.next();
            if (p != null && "(".equals(p.value())) {
                include = list(definition, p.start(), end).stream().map(DefinitionText::columnOf).toList();
            }
        }
        return new KeyList(keys, include);
    }

    /**
     * @param element one key element as {@link #keyList(String)} returns it, not null, e.g.
     *                {@code email}, {@code "Mixed Case" DESC}, {@code code text_pattern_ops},
     *                {@code lower(email)}, {@code (a + b)}
     * @return the column name (unquoted) when the element is a plain column, null for an expression
     */
    public static String columnOf(String element) {
        Tokenizer lx = new Tokenizer(element, 0);
        Token first = lx.next();
        if (first == null || !first.identifier()) {
            return null;
        }
        Token second = lx.next();
        if (second == null || second.kind() == Kind.WORD || second.quoted()) {
            return first.value();
        }
        return null;
    }

    private static Optional<IndexKey> indexKey(String element) {
        Tokenizer c = new Tokenizer(element, 0);
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
                expression = Identifiers.quote(column);
            }
        }
        // what may follow a key: COLLATE name, an operator class (possibly qualified, with
        // parenthesised options), ASC/DESC, NULLS FIRST/LAST
        String rest = element.substring(c.pos).trim();
        String collate = null;
        Tokenizer r = new Tokenizer(rest, 0);
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

    // ---------------------------------------------------------------- scanning

    /** Replaces the contents of quoted identifiers and literals with spaces (positions kept). */
    private static String blankQuoted(String text) {
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

    /**
     * The one quoted-run scanner: doubled quotes stay inside; after {@code E} a backslash escapes the
     * next character of a literal.
     *
     * @return index of the closing quote of the quoted run starting at {@code start}, or the text's
     *         length when it does not close
     */
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

    /** @return the index just past the quoted run starting at {@code start}, or the text's length */
    private static int pastQuoted(String text, int start) {
        int end = endOfQuoted(text, start);
        return end < text.length() ? end + 1 : text.length();
    }

    private static int firstTopLevel(String text, char wanted, int from) {
        String bare = blankQuoted(text);
        return bare.indexOf(wanted, from);
    }

    /** @return index of the parenthesis closing the one at {@code open}, or -1 */
    private static int matching(String text, int open) {
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

    /**
     * Splits the parenthesised list opening at {@code open} at its top-level commas (items stripped,
     * a blank last item dropped); sets {@code end[0]} past the closing parenthesis (or to the length).
     */
    private static List<String> list(String text, int open, int[] end) {
        List<String> items = new ArrayList<>();
        int depth = 0;
        int start = open + 1;
        int i = open;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                i = pastQuoted(text, i);
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth == 0) {
                    String last = text.substring(start, i).strip();
                    if (!last.isEmpty()) {
                        items.add(last);
                    }
                    end[0] = i + 1;
                    return items;
                }
            } else if (c == ',' && depth == 1) {
                items.add(text.substring(start, i).strip());
                start = i + 1;
            }
            i++;
        }
        end[0] = text.length();
        return items;
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

    private static boolean isWordChar(char ch) {
        return Character.isLetterOrDigit(ch) || ch == '_' || ch == '$';
    }

    private enum Kind { WORD, QUOTED_IDENT, STRING, PUNCT }

    /**
     * @param value  the word, the unescaped contents of a quoted run, or the punctuation character
     * @param start  index of the token's first character
     * @param closed false for a quoted run that does not close before the end of the text
     */
    private record Token(Kind kind, String value, int start, boolean closed) {
        boolean identifier() {
            return kind == Kind.WORD || kind == Kind.QUOTED_IDENT;
        }

        boolean quoted() {
            return kind == Kind.QUOTED_IDENT || kind == Kind.STRING;
        }

        boolean word(String w) {
            return kind == Kind.WORD && value.equalsIgnoreCase(w);
        }
    }

    /**
     * The one tokenizer: a position in deparsed text that reads tokens (words, "quoted identifiers",
     * 'strings', single punctuation characters) and, on top of them, identifiers and names.
     */
    private static final class Tokenizer {
        private final String text;
        private int pos;

        Tokenizer(String text, int pos) {
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

        /** @return the next token after whitespace, or null at the end of the text */
        Token next() {
            skipSpace();
            if (atEnd()) {
                return null;
            }
            int start = pos;
            char c = text.charAt(pos);
            if (c == '"' || c == '\'') {
                int close = endOfQuoted(text, pos);
                boolean closed = close < text.length();
                int past = closed ? close + 1 : text.length();
                String inner = text.substring(pos + 1, Math.max(pos + 1, past - 1));
                String q = String.valueOf(c);
                pos = past;
                return new Token(c == '"' ? Kind.QUOTED_IDENT : Kind.STRING, inner.replace(q + q, q), start, closed);
            }
            if (isWordChar(c)) {
                while (!atEnd() && isWordChar(text.charAt(pos))) {
                    pos++;
                }
                return new Token(Kind.WORD, text.substring(start, pos), start, true);
            }
            pos++;
            return new Token(Kind.PUNCT, String.valueOf(c), start, true);
        }

        /**
         * @return the next bare or closed, non-empty double-quoted identifier (unquoted); empty
         *         otherwise, with the position left at the token that is not one (past an empty {@code ""})
         */
        Optional<String> identifier() {
            skipSpace();
            int start = pos;
            Token t = next();
            if (t != null && t.kind() == Kind.WORD) {
                return Optional.of(t.value());
            }
            if (t != null && t.kind() == Kind.QUOTED_IDENT && t.closed()) {
                return t.value().isEmpty() ? Optional.empty() : Optional.of(t.value());
            }
            pos = start;
            return Optional.empty();
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
