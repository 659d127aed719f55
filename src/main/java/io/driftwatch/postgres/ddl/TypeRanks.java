package io.driftwatch.postgres.ddl;

import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.Identifiers;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.SchemaModel;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Order of domains, composite types and range types within {@link Phase#TYPES} (and, negated,
 * {@link Phase#DROP_TYPES}): a type's rank is its dependency depth among the modelled types of one
 * model, 0 for a type that uses none of them, else one more than the deepest type it uses. "Uses"
 * is found textually: the type's {@code base_type}, {@code attributes} or {@code subtype} text
 * contains the other type's qualified name ({@code format_type} text, as the reader produced it)
 * as a whole word. A false match only delays a type; cycles (impossible in PostgreSQL) are cut.
 *
 * <p>Also small text helpers shared by {@link DomainPlanner} and {@link CompositeTypePlanner} for
 * the {@code name ...} lines their attributes hold.
 */
final class TypeRanks {

    private static final List<ObjectKind> KINDS = List.of(ObjectKind.DOMAIN, ObjectKind.COMPOSITE_TYPE,
            ObjectKind.RANGE_TYPE);
    private static final List<String> TEXT_ATTRIBUTES = List.of("base_type", "attributes", "subtype");

    private TypeRanks() {
    }

    /**
     * @param ref   a domain, composite type or range type of {@code model}
     * @param model the model it belongs to
     * @return its dependency depth (0 = uses no other modelled type)
     */
    static int depth(ObjectRef ref, SchemaModel model) {
        Map<String, CatalogObject> types = new HashMap<>();
        for (ObjectKind k : KINDS) {
            for (CatalogObject o : model.objects(k)) {
                types.put(Identifiers.qualified(o.ref().schema(), o.ref().name()), o);
            }
        }
        CatalogObject start = types.get(Identifiers.qualified(ref.schema(), ref.name()));
        return start == null ? 0 : depth(start, types, new HashSet<>());
    }

    private static int depth(CatalogObject o, Map<String, CatalogObject> types, Set<ObjectRef> visiting) {
        if (!visiting.add(o.ref())) {
            return 0;
        }
        int d = 0;
        for (String key : TEXT_ATTRIBUTES) {
            String text = o.attr(key);
            if (text == null) {
                continue;
            }
            for (Map.Entry<String, CatalogObject> t : types.entrySet()) {
                if (t.getValue() != o && mentions(text, t.getKey())) {
                    d = Math.max(d, 1 + depth(t.getValue(), types, visiting));
                }
            }
        }
        visiting.remove(o.ref());
        return d;
    }

    /** @return true when {@code name} occurs in {@code text} not inside a longer identifier */
    static boolean mentions(String text, String name) {
        for (int i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
            int end = i + name.length();
            boolean startOk = i == 0 || !identifierChar(text.charAt(i - 1));
            boolean endOk = end == text.length() || !identifierChar(text.charAt(end));
            if (startOk && endOk) {
                return true;
            }
        }
        return false;
    }

    private static boolean identifierChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '"' || c == '.';
    }

    /**
     * Splits a line that starts with an identifier as {@code quote_ident} writes it.
     *
     * @param line e.g. {@code "b c" text COLLATE "C"} or {@code zz: CHECK (...)}
     * @return {@code [identifier as written, rest after it]} (rest not trimmed)
     * @throws IllegalArgumentException when a quoted identifier is not terminated
     */
    static String[] leadingIdentifier(String line) {
        if (line.startsWith("\"")) {
            int i = 1;
            while (true) {
                int q = line.indexOf('"', i);
                if (q < 0) {
                    throw new IllegalArgumentException("unterminated identifier in: " + line);
                }
                if (q + 1 < line.length() && line.charAt(q + 1) == '"') {
                    i = q + 2;
                } else {
                    return new String[] {line.substring(0, q + 1), line.substring(q + 1)};
                }
            }
        }
        int end = 0;
        while (end < line.length() && line.charAt(end) != ' ' && line.charAt(end) != ':') {
            end++;
        }
        return new String[] {line.substring(0, end), line.substring(end)};
    }

    /** @return the identifier's name: quotes removed and doubled quotes undone */
    static String unquote(String identifier) {
        if (identifier.length() >= 2 && identifier.startsWith("\"") && identifier.endsWith("\"")) {
            return identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"");
        }
        return identifier;
    }

    /** @return the attribute's lines, empty when absent */
    static List<String> lines(String text) {
        return text == null || text.isEmpty() ? List.of() : List.of(text.split("\n", -1));
    }
}
