package io.driftwatch.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the parts SQL rules need out of the server's deparsed text ({@code pg_get_indexdef},
 * {@code pg_get_constraintdef}, {@code schema.name} as {@code quote_ident} renders it): qualified
 * names, index key lists, {@code INCLUDE} lists and foreign-key targets. A small tokenizer that
 * knows PostgreSQL's quoting (double-quoted identifiers with {@code ""}, single-quoted strings with
 * {@code ''}, nested parentheses), so hostile names never split a list in the wrong place. Pure.
 */
final class SqlText {

    private SqlText() {
    }

    /**
     * @param keys    the key elements in order, each as the definition writes it, e.g.
     *                {@code email}, {@code lower(email)}, {@code created_at DESC}
     * @param include the {@code INCLUDE} columns, empty when none
     */
    record KeyList(List<String> keys, List<String> include) {
    }

    /**
     * @param table   the referenced table's parts ({@code [schema, table]}), unquoted
     * @param columns the referenced columns, unquoted
     */
    record References(List<String> table, List<String> columns) {
    }

    /**
     * @param text {@code public.orders}, {@code "My Schema"."Order ""Lines"""}
     * @return the parts, unquoted; an empty list for null or unreadable text
     */
    static List<String> qualifiedName(String text) {
        List<String> parts = new ArrayList<>();
        if (text == null) {
            return parts;
        }
        Lexer lx = new Lexer(text, 0);
        while (true) {
            Token t = lx.next();
            if (t == null || !t.identifier()) {
                return t == null ? parts : List.of();
            }
            parts.add(t.value);
            Token dot = lx.next();
            if (dot == null) {
                return parts;
            }
            if (!".".equals(dot.value) || dot.quoted) {
                return List.of();
            }
        }
    }

    /**
     * The key list of an index or constraint definition: the first parenthesised list after
     * {@code USING method} (indexes, exclusion constraints) or the first one at all (primary key,
     * unique), and the list after {@code INCLUDE}.
     *
     * @param definition {@code CREATE INDEX ... USING btree (a, lower(b)) INCLUDE (c) WHERE ...}
     *                   or {@code UNIQUE NULLS NOT DISTINCT (a, b)}
     * @return the lists; empty lists when the text has no key list
     */
    static KeyList keyList(String definition) {
        if (definition == null) {
            return new KeyList(List.of(), List.of());
        }
        Lexer lx = new Lexer(definition, 0);
        Token t;
        boolean sawUsing = false;
        boolean isIndex = definition.regionMatches(true, 0, "CREATE ", 0, 7);
        int open = -1;
        while ((t = lx.next()) != null) {
            if (t.word("USING")) {
                sawUsing = true;
            }
            if ("(".equals(t.value) && !t.quoted && t.kind == Kind.PUNCT && (sawUsing || !isIndex)) {
                open = t.start;
                break;
            }
        }
        if (open < 0) {
            return new KeyList(List.of(), List.of());
        }
        int[] end = new int[1];
        List<String> keys = list(definition, open, end);
        List<String> include = List.of();
        Lexer after = new Lexer(definition, end[0]);
        Token w = after.next();
        if (w != null && w.word("INCLUDE")) {
            Token p = after.next();
            if (p != null && "(".equals(p.value)) {
                include = list(definition, p.start, end).stream().map(SqlText::columnOf).toList();
            }
        }
        return new KeyList(keys, include);
    }

    /**
     * @param definition {@code FOREIGN KEY (a) REFERENCES public.t(id) ON DELETE CASCADE}
     * @return the referenced table and columns, or null when the text has no {@code REFERENCES}
     */
    static References references(String definition) {
        if (definition == null) {
            return null;
        }
        Lexer lx = new Lexer(definition, 0);
        Token t;
        while ((t = lx.next()) != null) {
            if (t.word("REFERENCES")) {
                List<String> table = new ArrayList<>();
                Token n = lx.next();
                while (n != null && n.identifier()) {
                    table.add(n.value);
                    n = lx.next();
                    if (n != null && ".".equals(n.value) && !n.quoted) {
                        n = lx.next();
                    } else {
                        break;
                    }
                }
                List<String> cols = List.of();
                if (n != null && "(".equals(n.value) && !n.quoted) {
                    cols = list(definition, n.start, new int[1]).stream().map(SqlText::columnOf).toList();
                }
                return new References(table, cols);
            }
        }
        return null;
    }

    /**
     * @param element one key element, e.g. {@code email}, {@code "Mixed Case" DESC},
     *                {@code code text_pattern_ops}, {@code lower(email)}, {@code (a + b)}
     * @return the column name (unquoted) when the element is a plain column, null for an expression
     */
    static String columnOf(String element) {
        Lexer lx = new Lexer(element, 0);
        Token first = lx.next();
        if (first == null || !first.identifier()) {
            return null;
        }
        Token second = lx.next();
        if (second == null || second.kind == Kind.WORD || second.quoted) {
            return first.value;
        }
        return null;
    }

    /** Splits the parenthesised list opening at {@code open} at its top-level commas; sets {@code end[0]} past it. */
    private static List<String> list(String text, int open, int[] end) {
        List<String> items = new ArrayList<>();
        int depth = 0;
        int start = open + 1;
        int i = open;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                i = skipQuoted(text, i);
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

    /** @return the index just past the quoted run starting at {@code i} (doubled quotes stay inside) */
    private static int skipQuoted(String text, int i) {
        char q = text.charAt(i);
        int j = i + 1;
        while (j < text.length()) {
            if (text.charAt(j) == q) {
                if (j + 1 < text.length() && text.charAt(j + 1) == q) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            j++;
        }
        return j;
    }

    private enum Kind { WORD, QUOTED_IDENT, STRING, PUNCT }

    private record Token(Kind kind, String value, int start, boolean quoted) {
        boolean identifier() {
            return kind == Kind.WORD || kind == Kind.QUOTED_IDENT;
        }

        boolean word(String w) {
            return kind == Kind.WORD && value.equalsIgnoreCase(w);
        }
    }

    /** Tokens of PostgreSQL text: words, "quoted identifiers", 'strings', single punctuation characters. */
    private static final class Lexer {
        private final String s;
        private int i;

        Lexer(String s, int from) {
            this.s = s;
            this.i = from;
        }

        Token next() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= s.length()) {
                return null;
            }
            int start = i;
            char c = s.charAt(i);
            if (c == '"' || c == '\'') {
                int end = skipQuoted(s, i);
                String inner = s.substring(i + 1, Math.max(i + 1, end - 1));
                String q = String.valueOf(c);
                i = end;
                return new Token(c == '"' ? Kind.QUOTED_IDENT : Kind.STRING, inner.replace(q + q, q), start, true);
            }
            if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_'
                        || s.charAt(i) == '$')) {
                    i++;
                }
                String w = s.substring(start, i);
                return new Token(Kind.WORD, w, start, false);
            }
            i++;
            return new Token(Kind.PUNCT, String.valueOf(c), start, false);
        }
    }
}
