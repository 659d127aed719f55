package io.driftwatch.postgres.gate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A reader of PostgreSQL's stored expression trees ({@code pg_node_tree}: {@code pg_constraint.conbin},
 * {@code pg_index.indexprs}, ...), as {@code nodeToString} writes them, e.g.
 * {@code {OPEXPR :opno 1756 :opfuncid 1720 :args ({VAR :varno 1 ...} {CONST ...})}}.
 *
 * <p>Format (PostgreSQL {@code src/backend/nodes/read.c}, {@code pg_strtok}): tokens are separated by
 * whitespace; {@code (}, {@code )}, <code>{</code> and <code>}</code> are tokens of their own; a backslash
 * makes the next character part of the token; {@code <>} is a null pointer. A node is
 * <code>{NAME :field value :field value ...}</code>, a value is a token, a node, a list in parentheses
 * (of nodes, or of integers/OIDs after a one-letter tag such as {@code (o 97 97)}), or several tokens
 * ({@code :constvalue 4 [ 0 0 0 0 ]}). Node names are upper case ({@code FUNCEXPR}, {@code COERCEVIAIO}).
 *
 * <p>Only the structure is read: field values stay raw tokens. The reader is lenient about field
 * contents and strict about structure: unbalanced braces or parentheses are an error, so a node can
 * never be missed by a walk over {@link Node#children()}.
 */
final class NodeTree {

    private NodeTree() {
    }

    /**
     * One node: its name and its fields in order.
     *
     * @param name   e.g. {@code FUNCEXPR}
     * @param fields field name without the colon, e.g. {@code funcid}, to its values: tokens
     *               ({@link String}), nodes ({@link Node}) and lists ({@link List})
     */
    record Node(String name, Map<String, List<Object>> fields) {

        /** @return the first value of {@code field} when it is a token, e.g. {@code "1720"}; empty otherwise */
        Optional<String> token(String field) {
            List<Object> v = fields.get(field);
            return v == null || v.isEmpty() || !(v.get(0) instanceof String s) ? Optional.empty() : Optional.of(s);
        }

        /** @return {@link #token} as an OID (unsigned 32-bit); empty when absent or not a number */
        Optional<Long> oid(String field) {
            return token(field).flatMap(NodeTree::parseOid);
        }

        /** @return the numbers of an OID or integer list field such as {@code :opnos (o 97 97)} */
        List<Long> oids(String field) {
            List<Object> v = fields.get(field);
            List<Long> out = new ArrayList<>();
            if (v != null && !v.isEmpty() && v.get(0) instanceof List<?> list) {
                for (Object item : list) {
                    if (item instanceof String s) {
                        parseOid(s).ifPresent(out::add);
                    }
                }
            }
            return out;
        }

        /** @return the node a field holds directly (e.g. {@code :arg}); empty for a token, list or {@code <>} */
        Optional<Node> node(String field) {
            List<Object> v = fields.get(field);
            return v == null || v.isEmpty() || !(v.get(0) instanceof Node n) ? Optional.empty() : Optional.of(n);
        }

        /** @return every node directly below this one, in any field, inside lists too */
        List<Node> children() {
            List<Node> out = new ArrayList<>();
            for (List<Object> values : fields.values()) {
                collect(values, out);
            }
            return out;
        }

        private static void collect(List<?> values, List<Node> out) {
            for (Object v : values) {
                if (v instanceof Node n) {
                    out.add(n);
                } else if (v instanceof List<?> l) {
                    collect(l, out);
                }
            }
        }
    }

    /**
     * @param text a {@code pg_node_tree} value as text
     * @return the top-level node
     * @throws IllegalArgumentException when the text is not one well-formed node (message says where)
     */
    static Node parse(String text) {
        Reader r = new Reader(text);
        Object v = r.value();
        if (!(v instanceof Node n)) {
            throw new IllegalArgumentException("not a node tree: " + abbreviate(text));
        }
        if (r.next() != null) {
            throw new IllegalArgumentException("text after the node tree at offset " + r.pos + ": " + abbreviate(text));
        }
        return n;
    }

    private static Optional<Long> parseOid(String s) {
        try {
            long v = Long.parseLong(s);
            return v >= 0 && v <= 0xFFFFFFFFL ? Optional.of(v) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }

    private static final class Reader {
        private final String s;
        private int pos;
        private String peeked;

        Reader(String s) {
            this.s = s;
        }

        /** @return the next token, or null at the end */
        String next() {
            if (peeked != null) {
                String t = peeked;
                peeked = null;
                return t;
            }
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
            if (pos >= s.length()) {
                return null;
            }
            char c = s.charAt(pos);
            if (c == '(' || c == ')' || c == '{' || c == '}') {
                pos++;
                return String.valueOf(c);
            }
            StringBuilder t = new StringBuilder();
            while (pos < s.length()) {
                c = s.charAt(pos);
                if (Character.isWhitespace(c) || c == '(' || c == ')' || c == '{' || c == '}') {
                    break;
                }
                if (c == '\\' && pos + 1 < s.length()) {
                    pos++;
                    c = s.charAt(pos);
                }
                t.append(c);
                pos++;
            }
            return t.toString();
        }

        String peek() {
            if (peeked == null) {
                peeked = next();
            }
            return peeked;
        }

        Object value() {
            String t = next();
            if (t == null) {
                throw new IllegalArgumentException("node tree ends early at offset " + pos);
            }
            return switch (t) {
                case "{" -> node();
                case "(" -> list();
                case ")", "}" -> throw new IllegalArgumentException("unexpected '" + t + "' at offset " + pos);
                default -> t;
            };
        }

        private Node node() {
            String name = next();
            if (name == null || name.length() == 1 && "(){}".contains(name)) {
                throw new IllegalArgumentException("node without a name at offset " + pos);
            }
            Map<String, List<Object>> fields = new LinkedHashMap<>();
            List<Object> current = null;
            while (true) {
                String t = peek();
                if (t == null) {
                    throw new IllegalArgumentException("node " + name + " is not closed");
                }
                if (t.equals("}")) {
                    next();
                    return new Node(name, fields);
                }
                if (t.startsWith(":") && t.length() > 1) {
                    next();
                    current = new ArrayList<>();
                    fields.put(t.substring(1), current);
                    continue;
                }
                Object v = value();
                if (current == null) { // a value before any field: keep it, so its nodes are still walked
                    current = new ArrayList<>();
                    fields.put("", current);
                }
                current.add(v);
            }
        }

        private List<Object> list() {
            List<Object> items = new ArrayList<>();
            while (true) {
                String t = peek();
                if (t == null) {
                    throw new IllegalArgumentException("list is not closed");
                }
                if (t.equals(")")) {
                    next();
                    return items;
                }
                items.add(value());
            }
        }
    }
}
