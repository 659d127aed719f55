package io.driftwatch.snapshot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.Column;
import io.driftwatch.model.Constraint;
import io.driftwatch.model.EnumType;
import io.driftwatch.model.Index;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.model.Sequence;
import io.driftwatch.model.Table;
import io.driftwatch.model.UnmodelledObject;
import io.driftwatch.model.View;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fast path of {@link SnapshotCodec}'s reader: one pass of Jackson's streaming {@link JsonParser}
 * straight into the model records, with no JSON tree in between (a 10,000-table snapshot is ~45 MB
 * of JSON and ~2.7 million tokens; the tree of it alone took more than the whole read does now).
 *
 * <p>It reads only the common case, a file of the current format whose first field is
 * {@code "formatVersion": }{@value SnapshotCodec#FORMAT_VERSION}, and is at least as strict as the tree
 * reader: every field present, of the right JSON type, known and given once; nothing but whitespace
 * after the document. On anything else (another version, a field order it does not expect, any
 * error) it gives up with {@link Fallback} and {@link SnapshotCodec} re-reads the input with the
 * tree reader, which accepts the same files and words every error message. So this class never
 * decides what a user reads: it only makes the valid files fast. The content hash is not checked
 * here; the caller decides ({@link SnapshotCodec#readSnapshot(java.nio.file.Path, boolean)}).
 *
 * <p>Equal strings of up to {@value #INTERN_MAX} chars (schema names, types, methods, kinds) are
 * shared within one read, so the model holds one {@code "public"}, not 100,000.
 * Not thread-safe; one instance per read.
 */
final class SnapshotStreamReader {

    /** Thrown (without a stack trace) when the fast path does not apply; the tree reader then runs. */
    static final class Fallback extends Exception {
        private static final long serialVersionUID = 1L;

        Fallback(String why) {
            super(why, null, false, false);
        }
    }

    private static final int INTERN_MAX = 64;
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final Map<String, Column.Identity> IDENTITIES = constants(Column.Identity.values());
    private static final Map<String, Constraint.Type> CONSTRAINT_TYPES = constants(Constraint.Type.values());
    private static final Map<String, ObjectKind> KINDS = constants(ObjectKind.values());

    private final JsonParser p;
    private final HashMap<String, String> strings = new HashMap<>(4096);

    private SnapshotStreamReader(JsonParser p) {
        this.p = p;
    }

    /**
     * @param in UTF-8 JSON (not closed here)
     * @return the snapshot, content hash as written and unchecked
     * @throws Fallback when the tree reader must read it (see the class doc)
     */
    static Snapshot read(InputStream in) throws Fallback {
        try (JsonParser p = FACTORY.createParser(in)) {
            return new SnapshotStreamReader(p).document();
        } catch (IOException | RuntimeException e) {
            throw new Fallback(String.valueOf(e.getMessage()));
        }
    }

    /**
     * @param json the text of a snapshot file
     * @return as {@link #read(InputStream)}
     * @throws Fallback as {@link #read(InputStream)}
     */
    static Snapshot read(String json) throws Fallback {
        try (JsonParser p = FACTORY.createParser(json)) {
            return new SnapshotStreamReader(p).document();
        } catch (IOException | RuntimeException e) {
            throw new Fallback(String.valueOf(e.getMessage()));
        }
    }

    private Snapshot document() throws IOException, Fallback {
        expect(p.nextToken(), JsonToken.START_OBJECT);
        if (!"formatVersion".equals(p.nextFieldName())) {
            throw new Fallback("formatVersion is not the first field");
        }
        if (p.nextToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT
                || p.getIntValue() != SnapshotCodec.FORMAT_VERSION) {
            throw new Fallback("not the current format");
        }
        String toolVersion = null;
        String created = null;
        String source = null;
        String serverVersion = null;
        String hash = null;
        ModelParts model = null;
        int seen = 0;
        String f;
        while ((f = p.nextFieldName()) != null) {
            seen = mark(seen, switch (f) {
                case "tool" -> {
                    toolVersion = tool();
                    yield 0;
                }
                case "createdAt" -> {
                    created = optText();
                    yield 1;
                }
                case "source" -> {
                    source = text();
                    yield 2;
                }
                case "serverVersion" -> {
                    serverVersion = optText();
                    yield 3;
                }
                case "contentHash" -> {
                    hash = text();
                    yield 4;
                }
                case "model" -> {
                    model = model();
                    yield 5;
                }
                default -> throw new Fallback("unknown field " + f);
            });
        }
        endObject(seen, 6);
        if (p.nextToken() != null) {
            throw new Fallback("content after the document");
        }
        Instant createdAt;
        try {
            createdAt = created == null ? null : Instant.parse(created);
        } catch (DateTimeParseException e) {
            throw new Fallback("createdAt");
        }
        return new Snapshot(SnapshotCodec.FORMAT_VERSION, toolVersion, createdAt, source, hash,
                model.toModel(serverVersion));
    }

    private String tool() throws IOException, Fallback {
        expect(p.nextToken(), JsonToken.START_OBJECT);
        String version = null;
        int seen = 0;
        String f;
        while ((f = p.nextFieldName()) != null) {
            seen = mark(seen, switch (f) {
                case "name" -> {
                    if (!"driftwatch".equals(text())) {
                        throw new Fallback("tool.name");
                    }
                    yield 0;
                }
                case "version" -> {
                    version = text();
                    yield 1;
                }
                default -> throw new Fallback("unknown field " + f);
            });
        }
        endObject(seen, 2);
        return version;
    }

    /** The model's lists, before the server version (which may follow them in the file) is known. */
    private record ModelParts(List<String> schemas, List<EnumType> enums, List<Sequence> sequences,
                              List<Table> tables, List<View> views, List<CatalogObject> objects,
                              List<UnmodelledObject> notAudited) {
        SchemaModel toModel(String serverVersion) {
            return new SchemaModel(serverVersion, schemas, tables, views, sequences, enums, objects, notAudited);
        }
    }

    private ModelParts model() throws IOException, Fallback {
        expect(p.nextToken(), JsonToken.START_OBJECT);
        List<String> schemas = null;
        List<EnumType> enums = null;
        List<Sequence> sequences = null;
        List<Table> tables = null;
        List<View> views = null;
        List<CatalogObject> objects = null;
        List<UnmodelledObject> notAudited = null;
        int seen = 0;
        String f;
        while ((f = p.nextFieldName()) != null) {
            seen = mark(seen, switch (f) {
                case "schemas" -> {
                    schemas = stringList();
                    yield 0;
                }
                case "enums" -> {
                    enums = list(this::enumType);
                    yield 1;
                }
                case "sequences" -> {
                    sequences = list(this::sequence);
                    yield 2;
                }
                case "tables" -> {
                    tables = list(this::table);
                    yield 3;
                }
                case "views" -> {
                    views = list(this::view);
                    yield 4;
                }
                case "objects" -> {
                    objects = list(this::catalogObject);
                    yield 5;
                }
                case "notAudited" -> {
                    notAudited = list(this::unmodelled);
                    yield 6;
                }
                default -> throw new Fallback("unknown field " + f);
            });
        }
        endObject(seen, 7);
        return new ModelParts(schemas, enums, sequences, tables, views, objects, notAudited);
    }

    private EnumType enumType() throws IOException, Fallback {
        String schema = null;
        String name = null;
        List<String> labels = null;
        int seen = 0;
        String f;
        while ((f = p.nextFieldName()) != null) {
            seen = mark(seen, switch (f) {
                case "schema" -> {
                    schema = text();
                    yield 0;
                }
                case "name" -> {
                    name = text();
                    yield 1;
                }
                case "labels" -> {
                    labels = stringList();
                    yield 2;
                }
                default -> throw new Fallback("unknown field " + f);
            });
        }
        endObject(seen, 3);
        return new EnumType(schema, name, labels);
    }

    private Sequence sequence() throws IOException, Fallback {
        String schema = null;
        String name = null;
        String dataType = null;
        long start = 0;
        long increment = 0;
        long min = 0;
        long max = 0;
        long cache = 0;
        boolean cycle = false;
        String ownedBy = null;
        int seen = 0;
        String f;
        while ((f = p.nextFieldName()) != null) {
            seen = mark(seen, switch (f) {
                case "schema" -> {
                    schema = text();
                    yield 0;
                }
                case "name" -> {
                    name = text();
                    yield 1;
                }
                case "dataType" -> {
                    dataType = text();
                    yield 2;
                }
                case "start" -> {
                    start = longValue();
                    yield 3;
                }
                case "increment" -> {
                    increment = longValue();
                    yield 4;
                }
                case "min" -> {
                    min = longValue();
                    yield 5;
                }
                case "max" -> {
                    max = longValue();
                    yield 6;
                }
                case "cache" -> {
                    cache = longValue();
                    yield 7;
                }
                case "cycle" -> {
                    cycle = bool();
                    yield 8;
                }
                case "ownedBy" -> {
                    ownedBy = optText();
                    yield 9;
                }
                default -> throw new Fallback("unknown field " + f);
            });
        }
        endObject(seen, 10);
        return new Sequence(schema, name, dataType, start, increment, min, max, cache, cycle, ownedBy);
    }

    private Table table() throws IOException, Fallback {
        String schema = null;
        String name = null;
        boolean partitioned = false;
        String partitionKey = null;
        String partitionOf = null;
        String partitionBound = null;
        boolean unlogged = false;
        boolean rowSecurity = false;
        boolean forceRowSecurity = false;
        List<String> options = null;
        List<String> inherits = null;
        List<Column> columns = null;
        List<Constraint> constraints = null;
        List<Index> indexes = null;
        int seen = 0;
        String f;
        while ((f = p.nextFieldName()) != null) {
            seen = mark(seen, switch (f) {
                case "schema" -> {
                    schema = text();
                    yield 0;
                }
                case "name" -> {
                    name = text();
                    yield 1;
                }
                case "partitioned" -> {
                    partitioned = bool();
                    yield 2;
                }
                case "partitionKey" -> {
                    partitionKey = optText();
                    yield 3;
                }
                case "partitionOf" -> {
                    partitionOf = optText();
                    yield 4;
                }
                case "partitionBound" -> {
                    partitionBound = optText();
                    yield 5;
                }
                case "unlogged" -> {
                    unlogged = bool();
                    yield 6;
                }
                case "rowSecurity" -> {
                    rowSecurity = bool();
                    yield 7;
                }
                case "forceRowSecurity" -> {
                    forceRowSecurity = bool();
                    yield 8;
                }
                case "options" -> {
                    options = stringList();
                    yield 9;
                }
                case "inherits" -> {
                    inherits = stringList();
                    yield 10;
                }
                case "columns" -> {
                    columns = list(this::column);
                    yield 11;
                }
                case "constraints" -> {
                    constraints = list(this::constraint);
                    yield 12;
                }
                case "indexes" -> {
                    indexes = list(this::index);
                    yield 13;
                }
                default -> throw new Fallback("unknown field " + f);
            });
        }
        endObject(seen, 14);
        return new Table(schema, name, partitioned, partitionKey, partitionOf, partitionBound, columns, constraints,
                indexes, unlogged, rowSecurity, forceRowSecurity, options, inherits);
    }

    private Column column() throws IOException, Fallback {
        String name = null;
        long position = 0;
        String type = null;
        boolean notNull = false;
        String defaultExpr = null;
        Column.Identity identity = null;
        String generatedExpr = null;
        String collation = null;
        String identityOptions = null;
        int seen = 0;
        String f;
        while ((f = p.nextFieldName()) != null) {
            seen = mark(seen, switch (f) {
                case "name" -> {
                    name = text();
                    yield 0;
                }
                case "position" -> {
                    position = longValue();
                    yield 1;
                }
                case "type" -> {
                    type = text();
                    yield 2;
                }
                case "notNull" -> {
                    notNull = bool();
                    yield 3;
                }
                case "defaultExpr" -> {
                    defaultExpr = optText();
                    yield 4;
                }
                case "identity" -> {
                    identity = constant(IDENTITIES);
                    yield 5;
                }
                case "generatedExpr" -> {
                    generatedExpr = optText();
                    yield 6;
                }
                case "collation" -> {
                    collation = optText();
                    yield 7;
                }
                case "identityOptions" -> {
                    identityOptions = optText();
                    yield 8;
                }
                default -> throw new Fallback("unknown field " + f);
            });
        }
        endObject(seen, 9);
        if (position < Integer.MIN_VALUE || position > Integer.MAX_VALUE) {
            throw new Fallback("position out of range");
        }
        return new Column(name, (int) position, type, notNull, defaultExpr, identity, generatedExpr, collation,
                identityOptions);
    }

    private Constraint constraint() throws IOException, Fallback {
        String name = null;
        Constraint.Type type = null;
        String definition = null;
        List<String> columns = null;
        String referencedTable = null;
        int seen = 0;
        String f;
        while ((f = p.nextFieldName()) != null) {
            seen = mark(seen, switch (f) {
                case "name" -> {
                    name = text();
                    yield 0;
                }
                case "type" -> {
                    type = constant(CONSTRAINT_TYPES);
                    yield 1;
                }
                case "definition" -> {
                    definition = text();
                    yield 2;
                }
                case "columns" -> {
                    columns = stringList();
                    yield 3;
                }
                case "referencedTable" -> {
                    referencedTable = optText();
                    yield 4;
                }
                default -> throw new Fallback("unknown field " + f);
            });
        }
        endObject(seen, 5);
        return new Constraint(name, type, definition, columns, referencedTable);
    }

    private Index index() throws IOException, Fallback {
        String name = null;
        String definition = null;
        boolean unique = false;
        String method = null;
        String predicate = null;
        boolean valid = false;
        int seen = 0;
        String f;
        while ((f = p.nextFieldName()) != null) {
            seen = mark(seen, switch (f) {
                case "name" -> {
                    name = text();
                    yield 0;
                }
                case "definition" -> {
                    definition = text();
                    yield 1;
                }
                case "unique" -> {
                    unique = bool();
                    yield 2;
                }
                case "method" -> {
                    method = optText();
                    yield 3;
                }
                case "predicate" -> {
                    predicate = optText();
                    yield 4;
                }
                case "valid" -> {
                    valid = bool();
                    yield 5;
                }
                default -> throw new Fallback("unknown field " + f);
            });
        }
        endObject(seen, 6);
        return new Index(name, definition, unique, method, predicate, valid);
    }

    private View view() throws IOException, Fallback {
        String schema = null;
        String name = null;
        boolean materialized = false;
        String definition = null;
        List<String> options = null;
        List<String> dependsOn = null;
        int seen = 0;
        String f;
        while ((f = p.nextFieldName()) != null) {
            seen = mark(seen, switch (f) {
                case "schema" -> {
                    schema = text();
                    yield 0;
                }
                case "name" -> {
                    name = text();
                    yield 1;
                }
                case "materialized" -> {
                    materialized = bool();
                    yield 2;
                }
                case "definition" -> {
                    definition = optText();
                    yield 3;
                }
                case "options" -> {
                    options = stringList();
                    yield 4;
                }
                case "dependsOn" -> {
                    dependsOn = p.nextToken() == JsonToken.VALUE_NULL ? null : stringListHere();
                    yield 5;
                }
                default -> throw new Fallback("unknown field " + f);
            });
        }
        endObject(seen, 6);
        return new View(schema, name, materialized, definition, options, dependsOn);
    }

    private CatalogObject catalogObject() throws IOException, Fallback {
        ObjectKind kind = null;
        String schema = null;
        String parent = null;
        String name = null;
        Map<String, String> attributes = null;
        ObjectRef target = null;
        int seen = 0;
        String f;
        while ((f = p.nextFieldName()) != null) {
            seen = mark(seen, switch (f) {
                case "kind" -> {
                    kind = constant(KINDS);
                    yield 0;
                }
                case "schema" -> {
                    schema = optText();
                    yield 1;
                }
                case "parent" -> {
                    parent = optText();
                    yield 2;
                }
                case "name" -> {
                    name = text();
                    yield 3;
                }
                case "attributes" -> {
                    attributes = attributes();
                    yield 4;
                }
                case "target" -> {
                    JsonToken t = p.nextToken();
                    if (t == JsonToken.START_OBJECT) {
                        target = ref();
                    } else if (t != JsonToken.VALUE_NULL) {
                        throw new Fallback("target");
                    }
                    yield 5;
                }
                default -> throw new Fallback("unknown field " + f);
            });
        }
        endObject(seen, 6);
        return new CatalogObject(new ObjectRef(kind, schema, parent, name), attributes, target);
    }

    private Map<String, String> attributes() throws IOException, Fallback {
        expect(p.nextToken(), JsonToken.START_OBJECT);
        Map<String, String> out = new LinkedHashMap<>();
        String f;
        while ((f = p.nextFieldName()) != null) {
            if (out.put(f, text()) != null) {
                throw new Fallback("duplicate attribute " + f);
            }
        }
        expect(p.currentToken(), JsonToken.END_OBJECT);
        return out;
    }

    /** An object reference; the parser is on its {@code START_OBJECT}. */
    private ObjectRef ref() throws IOException, Fallback {
        ObjectKind kind = null;
        String schema = null;
        String parent = null;
        String name = null;
        int seen = 0;
        String f;
        while ((f = p.nextFieldName()) != null) {
            seen = mark(seen, switch (f) {
                case "kind" -> {
                    kind = constant(KINDS);
                    yield 0;
                }
                case "schema" -> {
                    schema = optText();
                    yield 1;
                }
                case "parent" -> {
                    parent = optText();
                    yield 2;
                }
                case "name" -> {
                    name = text();
                    yield 3;
                }
                default -> throw new Fallback("unknown field " + f);
            });
        }
        endObject(seen, 4);
        return new ObjectRef(kind, schema, parent, name);
    }

    private UnmodelledObject unmodelled() throws IOException, Fallback {
        String kind = null;
        String schema = null;
        String parent = null;
        String name = null;
        int seen = 0;
        String f;
        while ((f = p.nextFieldName()) != null) {
            seen = mark(seen, switch (f) {
                case "kind" -> {
                    kind = text();
                    yield 0;
                }
                case "schema" -> {
                    schema = optText();
                    yield 1;
                }
                case "parent" -> {
                    parent = optText();
                    yield 2;
                }
                case "name" -> {
                    name = text();
                    yield 3;
                }
                default -> throw new Fallback("unknown field " + f);
            });
        }
        endObject(seen, 4);
        return new UnmodelledObject(kind, schema, parent, name);
    }

    // ------------------------------------------------------------------ values

    @FunctionalInterface
    private interface Item<T> {
        T read() throws IOException, Fallback;
    }

    /** An array of objects, each read by {@code item} (called on the element's {@code START_OBJECT}). */
    private <T> List<T> list(Item<T> item) throws IOException, Fallback {
        expect(p.nextToken(), JsonToken.START_ARRAY);
        List<T> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
            out.add(item.read());
        }
        expect(t, JsonToken.END_ARRAY);
        return out;
    }

    private List<String> stringList() throws IOException, Fallback {
        p.nextToken();
        return stringListHere();
    }

    /** An array of strings; the parser is on its {@code START_ARRAY}. */
    private List<String> stringListHere() throws IOException, Fallback {
        expect(p.currentToken(), JsonToken.START_ARRAY);
        List<String> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.VALUE_STRING) {
            out.add(string());
        }
        expect(t, JsonToken.END_ARRAY);
        return out;
    }

    private String text() throws IOException, Fallback {
        expect(p.nextToken(), JsonToken.VALUE_STRING);
        return string();
    }

    private String optText() throws IOException, Fallback {
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(t, JsonToken.VALUE_STRING);
        return string();
    }

    private String string() throws IOException {
        String s = p.getText();
        if (s.length() > INTERN_MAX) {
            return s;
        }
        String shared = strings.putIfAbsent(s, s);
        return shared == null ? s : shared;
    }

    private boolean bool() throws IOException, Fallback {
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_TRUE) {
            return true;
        }
        expect(t, JsonToken.VALUE_FALSE);
        return false;
    }

    private long longValue() throws IOException, Fallback {
        expect(p.nextToken(), JsonToken.VALUE_NUMBER_INT);
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new Fallback("number out of range");
        }
        return p.getLongValue();
    }

    private <E> E constant(Map<String, E> values) throws IOException, Fallback {
        E e = values.get(text());
        if (e == null) {
            throw new Fallback("unknown constant");
        }
        return e;
    }

    private static void expect(JsonToken actual, JsonToken wanted) throws Fallback {
        if (actual != wanted) {
            throw new Fallback("expected " + wanted + ", found " + actual);
        }
    }

    /** Sets field bit {@code bit}; a field given twice falls back (the tree reader refuses duplicates). */
    private static int mark(int seen, int bit) throws Fallback {
        if ((seen & (1 << bit)) != 0) {
            throw new Fallback("duplicate field");
        }
        return seen | (1 << bit);
    }

    /** After the last field: the object must be closed and every one of its {@code count} fields seen. */
    private void endObject(int seen, int count) throws Fallback {
        expect(p.currentToken(), JsonToken.END_OBJECT);
        if (seen != (1 << count) - 1) {
            throw new Fallback("missing field");
        }
    }

    private static <E extends Enum<E>> Map<String, E> constants(E[] values) {
        Map<String, E> m = new HashMap<>();
        for (E e : values) {
            m.put(e.name().toLowerCase(Locale.ROOT), e);
        }
        return Map.copyOf(m);
    }
}
