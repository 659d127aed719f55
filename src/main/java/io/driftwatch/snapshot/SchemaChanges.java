package io.driftwatch.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.diff.Change;
import io.driftwatch.diff.ChangeKind;
import io.driftwatch.model.Column;
import io.driftwatch.model.Identifiers;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.model.Sequence;
import io.driftwatch.policy.ObjectText;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The output of {@code driftwatch diff}: the {@link Change}s of {@code SchemaDiffer.diff(from, to)}
 * described in from→to words (never "extra"/"missing", which are the audit's words).
 *
 * <p>Text ({@link #text}): one line per change, in the differ's order (by object, then change type):
 * <pre>
 * + index public.orders.orders_note_idx
 * - column public.customers.legacy
 * ~ column public.orders.status: default 'pending'::order_status → 'new'::order_status
 * </pre>
 * {@code +} the object exists only in {@code to}, {@code -} only in {@code from}, {@code ~} on both
 * sides with different attributes (after the colon: {@code attribute from → to}, several joined by
 * {@code ; }; a view's changed query is just {@code definition changed}, the JSON has both texts).
 *
 * <p>JSON ({@link #json}, format version {@value #FORMAT_VERSION}, keys in this order, absent values null):
 * <pre>
 * { "formatVersion": 1,
 *   "from": { "source", "serverVersion", "contentHash" },
 *   "to":   { "source", "serverVersion", "contentHash" },
 *   "equal": false,
 *   "changes": [ { "action": "add|drop|modify", "kind": "index", "object": "public.orders.orders_note_idx",
 *                  "schema": "public", "parent": "orders", "name": "orders_note_idx",
 *                  "attributes": [ "default" ],     // modified column attributes; else []
 *                  "from": "...", "to": "...",      // SQL-ish text of each side, null when absent
 *                  "line": "+ index public.orders.orders_note_idx" } ] }
 * </pre>
 * Stateless; thread-safe.
 */
public final class SchemaChanges {

    /** Version of the diff JSON shape. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));

    /**
     * One change, described.
     *
     * @param action     {@code add}, {@code drop} or {@code modify}
     * @param ref        the object
     * @param attributes for a modified column, the attributes that differ ({@code type}, {@code nullability},
     *                   {@code default}, {@code identity}, {@code generated}, {@code collation}); else empty
     * @param from       the {@code from} side as SQL-ish text ({@link ObjectText}), null when absent there
     * @param to         the {@code to} side, null when absent there
     * @param detail     for {@code modify}: {@code attribute from → to} on one line; else null
     */
    public record Described(String action, ObjectRef ref, List<String> attributes, String from, String to,
                            String detail) {
        public Described {
            attributes = List.copyOf(attributes);
        }

        /** @return the text line, e.g. {@code ~ column public.orders.status: default 1 → 2} */
        public String line() {
            String symbol = switch (action) {
                case "add" -> "+";
                case "drop" -> "-";
                default -> "~";
            };
            return symbol + " " + ref + (detail == null ? "" : ": " + detail);
        }
    }

    private SchemaChanges() {
    }

    /**
     * @param changes changes from {@code SchemaDiffer.diff(from, to)}
     * @return one description per change, same order
     */
    public static List<Described> describe(List<Change> changes) {
        Describer d = new Describer();
        return changes.stream().map(c -> c.accept(d)).toList();
    }

    /**
     * @param changes changes from {@code SchemaDiffer.diff(from, to)}
     * @return one line per change, each ending in {@code \n}; empty when there are none
     */
    public static String text(List<Change> changes) {
        StringBuilder sb = new StringBuilder();
        describe(changes).forEach(d -> sb.append(d.line()).append('\n'));
        return sb.toString();
    }

    /**
     * @param changes    changes from {@code SchemaDiffer.diff(from, to)}
     * @param fromSource the {@code from} source as displayed (no password)
     * @param from       the {@code from} model
     * @param toSource   the {@code to} source as displayed
     * @param to         the {@code to} model
     * @return the JSON document (see the class doc), ending in {@code \n}
     */
    public static String json(List<Change> changes, String fromSource, SchemaModel from, String toSource,
                              SchemaModel to) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode doc = f.objectNode();
        doc.put("formatVersion", FORMAT_VERSION);
        side(doc.putObject("from"), fromSource, from);
        side(doc.putObject("to"), toSource, to);
        doc.put("equal", changes.isEmpty());
        ArrayNode list = doc.putArray("changes");
        for (Described d : describe(changes)) {
            ObjectNode o = list.addObject();
            o.put("action", d.action());
            o.put("kind", d.ref().kind().label());
            o.put("object", d.ref().qualifiedName());
            o.put("schema", d.ref().schema());
            o.put("parent", d.ref().parent());
            o.put("name", d.ref().name());
            ArrayNode attrs = o.putArray("attributes");
            d.attributes().forEach(attrs::add);
            o.put("from", d.from());
            o.put("to", d.to());
            o.put("line", d.line());
        }
        try {
            return MAPPER.writer(PRETTY).writeValueAsString(doc) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the diff: " + e.getOriginalMessage(), e);
        }
    }

    private static void side(ObjectNode o, String source, SchemaModel model) {
        o.put("source", source);
        o.put("serverVersion", model.serverVersion());
        o.put("contentHash", SnapshotCodec.contentHash(model));
    }

    /** One visit method per change type: the compiler checks coverage. */
    private static final class Describer implements Change.Visitor<Described> {

        private static Described add(ObjectRef ref, String to) {
            return new Described("add", ref, List.of(), null, to, null);
        }

        private static Described drop(ObjectRef ref, String from) {
            return new Described("drop", ref, List.of(), from, null, null);
        }

        private static Described modify(ObjectRef ref, String from, String to, String detail) {
            return new Described("modify", ref, List.of(), from, to, oneLine(detail));
        }

        @Override
        public Described visit(Change.AddSchema c) {
            return add(c.ref(), "CREATE SCHEMA " + c.ref().qualifiedName());
        }

        @Override
        public Described visit(Change.DropSchema c) {
            return drop(c.ref(), "CREATE SCHEMA " + c.ref().qualifiedName());
        }

        @Override
        public Described visit(Change.AddTable c) {
            return add(c.ref(), ObjectText.table(c.table()));
        }

        @Override
        public Described visit(Change.DropTable c) {
            return drop(c.ref(), ObjectText.table(c.table()));
        }

        @Override
        public Described visit(Change.ModifyTable c) {
            String a = ObjectText.partitioning(c.from()) + "; " + ObjectText.settings(c.from());
            String b = ObjectText.partitioning(c.to()) + "; " + ObjectText.settings(c.to());
            return modify(c.ref(), a, b, a + " → " + b);
        }

        @Override
        public Described visit(Change.AddColumn c) {
            return add(c.ref(), ObjectText.column(c.column()));
        }

        @Override
        public Described visit(Change.DropColumn c) {
            return drop(c.ref(), ObjectText.column(c.column()));
        }

        @Override
        public Described visit(Change.ModifyColumn c) {
            Column a = c.from();
            Column b = c.to();
            List<String> attributes = new ArrayList<>();
            List<String> parts = new ArrayList<>();
            for (ChangeKind k : c.changes().stream().sorted().toList()) {
                attributes.add(k.name().toLowerCase(Locale.ROOT));
                parts.add(switch (k) {
                    case TYPE -> "type " + a.type() + " → " + b.type();
                    case NULLABILITY -> (a.notNull() ? "NOT NULL" : "nullable") + " → " + (b.notNull() ? "NOT NULL" : "nullable");
                    case DEFAULT -> "default " + orNone(a.defaultExpr()) + " → " + orNone(b.defaultExpr());
                    case IDENTITY -> "identity " + identity(a) + " → " + identity(b);
                    case GENERATED -> "generated " + orNone(a.generatedExpr()) + " → " + orNone(b.generatedExpr());
                    case IDENTITY_OPTIONS -> "identity options " + a.identityOptions() + " → " + b.identityOptions();
                    case COLLATION -> "collation " + orDefault(a.collation()) + " → " + orDefault(b.collation());
                });
            }
            return new Described("modify", c.ref(), attributes, ObjectText.column(a), ObjectText.column(b),
                    oneLine(String.join("; ", parts)));
        }

        @Override
        public Described visit(Change.AddConstraint c) {
            return add(c.ref(), ObjectText.constraint(c.constraint()));
        }

        @Override
        public Described visit(Change.DropConstraint c) {
            return drop(c.ref(), ObjectText.constraint(c.constraint()));
        }

        @Override
        public Described visit(Change.ModifyConstraint c) {
            return modify(c.ref(), ObjectText.constraint(c.from()), ObjectText.constraint(c.to()),
                    c.from().definition() + " → " + c.to().definition());
        }

        @Override
        public Described visit(Change.AddIndex c) {
            return add(c.ref(), ObjectText.index(c.index()));
        }

        @Override
        public Described visit(Change.DropIndex c) {
            return drop(c.ref(), ObjectText.index(c.index()));
        }

        @Override
        public Described visit(Change.ModifyIndex c) {
            String a = ObjectText.index(c.from());
            String b = ObjectText.index(c.to());
            return modify(c.ref(), a, b, a + " → " + b);
        }

        @Override
        public Described visit(Change.AddView c) {
            return add(c.ref(), ObjectText.view(c.view()));
        }

        @Override
        public Described visit(Change.DropView c) {
            return drop(c.ref(), ObjectText.view(c.view()));
        }

        @Override
        public Described visit(Change.ModifyView c) {
            List<String> parts = new ArrayList<>();
            if (!java.util.Objects.equals(c.from().definition(), c.to().definition())) {
                parts.add("definition changed");
            }
            if (!c.from().options().equals(c.to().options())) {
                parts.add("options " + c.from().options() + " → " + c.to().options());
            }
            return modify(c.ref(), ObjectText.view(c.from()), ObjectText.view(c.to()), String.join("; ", parts));
        }

        @Override
        public Described visit(Change.AddSequence c) {
            return add(c.ref(), ObjectText.sequence(c.sequence()));
        }

        @Override
        public Described visit(Change.DropSequence c) {
            return drop(c.ref(), ObjectText.sequence(c.sequence()));
        }

        @Override
        public Described visit(Change.ModifySequence c) {
            Sequence a = c.from();
            Sequence b = c.to();
            List<String> parts = new ArrayList<>();
            param(parts, "type", a.dataType(), b.dataType());
            param(parts, "start", a.start(), b.start());
            param(parts, "increment", a.increment(), b.increment());
            param(parts, "min", a.min(), b.min());
            param(parts, "max", a.max(), b.max());
            param(parts, "cache", a.cache(), b.cache());
            param(parts, "cycle", a.cycle(), b.cycle());
            param(parts, "owned by", orNone(a.ownedBy()), orNone(b.ownedBy()));
            return modify(c.ref(), ObjectText.sequence(a), ObjectText.sequence(b), String.join("; ", parts));
        }

        @Override
        public Described visit(Change.AddEnum c) {
            return add(c.ref(), ObjectText.enumType(c.type()));
        }

        @Override
        public Described visit(Change.DropEnum c) {
            return drop(c.ref(), ObjectText.enumType(c.type()));
        }

        @Override
        public Described visit(Change.ModifyEnum c) {
            return modify(c.ref(), ObjectText.enumType(c.from()), ObjectText.enumType(c.to()),
                    "labels " + labels(c.from().labels()) + " → " + labels(c.to().labels()));
        }

        @Override
        public Described visit(Change.AddObject c) {
            return add(c.ref(), ObjectText.object(c.object()));
        }

        @Override
        public Described visit(Change.DropObject c) {
            return drop(c.ref(), ObjectText.object(c.object()));
        }

        @Override
        public Described visit(Change.ModifyObject c) {
            List<String> parts = new ArrayList<>();
            for (String k : c.changed()) {
                parts.add(k.equals("definition") ? "definition changed"
                        : k + " " + orNone(c.from().attr(k)) + " → " + orNone(c.to().attr(k)));
            }
            return modify(c.ref(), ObjectText.object(c.from()), ObjectText.object(c.to()), String.join("; ", parts));
        }

        private static void param(List<String> parts, String name, Object a, Object b) {
            if (!a.equals(b)) {
                parts.add(name + " " + a + " → " + b);
            }
        }

        private static String labels(List<String> labels) {
            return labels.stream().map(Identifiers::literal).collect(Collectors.joining(", "));
        }

        private static String identity(Column c) {
            return c.identity() == Column.Identity.NONE ? "none" : c.identity().sql();
        }

        private static String orNone(String s) {
            return s == null ? "(none)" : s;
        }

        private static String orDefault(String s) {
            return s == null ? "(default)" : s;
        }

        private static String oneLine(String s) {
            return s.replaceAll("\\s*\\R\\s*", " ");
        }
    }
}
