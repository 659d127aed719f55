package io.driftwatch.snapshot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.Column;
import io.driftwatch.model.Constraint;
import io.driftwatch.model.EnumType;
import io.driftwatch.model.Index;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.UnmodelledObject;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.model.Sequence;
import io.driftwatch.model.Table;
import io.driftwatch.model.View;
import io.driftwatch.base.AtomicFileWriter;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads and writes snapshot files: a {@link SchemaModel} as JSON, format version
 * {@value #FORMAT_VERSION}, read back into exactly the model it was written from
 * ({@code read(write(model)).equals(model)}).
 *
 * <p>Shape (keys always in this order, absent values written as {@code null}, never omitted;
 * two-space indent, {@code \n} line ends, one trailing newline, UTF-8):
 * <pre>
 * { "formatVersion": 2,
 *   "tool": { "name": "driftwatch", "version": "0.1.0" },
 *   "createdAt": "2024-05-01T10:15:30Z",            // ISO-8601 UTC, or null (--no-timestamp)
 *   "source": "postgresql://app@db:5432/shop",      // never a password
 *   "serverVersion": "15.18",                       // or null
 *   "contentHash": "sha256:3f5a…",
 *   "model": {
 *     "schemas":   [ "billing", "public" ],
 *     "enums":     [ { "schema", "name", "labels": [..] } ],
 *     "sequences": [ { "schema", "name", "dataType", "start", "increment", "min", "max", "cache",
 *                      "cycle", "ownedBy" } ],
 *     "tables":    [ { "schema", "name", "partitioned", "partitionKey", "partitionOf", "partitionBound",
 *                      "unlogged", "rowSecurity", "forceRowSecurity", "options": [..], "inherits": [..],
 *                      "columns":     [ { "name", "position", "type", "notNull", "defaultExpr",
 *                                         "identity": "none|always|by_default", "generatedExpr", "collation",
 *                                         "identityOptions" } ],
 *                      "constraints": [ { "name", "type": "primary_key|unique|check|foreign_key|exclusion",
 *                                         "definition", "columns": [..], "referencedTable" } ],
 *                      "indexes":     [ { "name", "definition", "unique", "method", "predicate", "valid" } ] } ],
 *     "views":     [ { "schema", "name", "materialized", "definition", "options": [..],
 *                      "dependsOn": [..] | null } ],
 *     "objects":   [ { "kind": "function|trigger|domain|…", "schema", "parent", "name",
 *                      "attributes": { "key": "text", … }, "target": null | { "kind", "schema", "parent", "name" } } ],
 *     "notAudited": [ { "kind": "foreign table", "schema", "parent", "name" } ] } }
 * </pre>
 * List order is the model's own (sorted by schema and name; columns by position, constraints and
 * indexes as the catalog reader sorts them), so the same schema always gives the same bytes.
 *
 * <p>{@code contentHash} is SHA-256 over the compact (no whitespace) UTF-8 JSON of the
 * {@code "model"} object alone: equal hashes mean equal schemas, whatever the time, source, tool
 * version or server version of the two snapshots. On reading, the hash is recomputed from the
 * parsed model (so re-indenting the file by hand is harmless) and must match (the expected-model
 * cache alone skips this for its own entries: {@link #readSnapshot(Path, boolean)}).
 *
 * <p>Files of the current format are read by a streaming fast path ({@code SnapshotStreamReader}:
 * one pass, no JSON tree); every other file and every error goes through the tree reader below,
 * which words the messages.
 *
 * <p>Reading is strict, so a file is never misread: the format version is checked first (versions 1
 * and {@value #FORMAT_VERSION} are read; any other is refused with a message naming both; version 1
 * lacks the table settings, view and identity options, {@code objects} and {@code notAudited}, and
 * its hash is checked over its own layout), then every field must be present, of the right JSON type, and known; duplicate
 * keys are refused. Stateless; thread-safe.
 */
public final class SnapshotCodec {

    /** Version of the snapshot format this build writes and reads. */
    public static final int FORMAT_VERSION = 2;

    private static final ObjectMapper MAPPER = new ObjectMapper(
            JsonFactory.builder().enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SnapshotCodec() {
    }

    // ------------------------------------------------------------------ writing

    /**
     * @param snapshot what to write
     * @return the snapshot file's text (ends with one {@code \n})
     */
    public static String write(Snapshot snapshot) {
        java.io.StringWriter out = new java.io.StringWriter(1 << 16);
        try {
            writeDocument(snapshot, MAPPER.getFactory().createGenerator(out));
        } catch (IOException e) {
            throw new IllegalStateException("cannot render a snapshot: " + e.getMessage(), e);
        }
        return out.toString();
    }

    /**
     * A snapshot of {@code model} with no time and source {@code "model"}: the canonical text of a
     * model, used by tests and by callers that only need the round trip.
     *
     * @param model the schema
     * @return the snapshot file's text
     */
    public static String write(SchemaModel model) {
        return write(Snapshot.of(model, "model", null));
    }

    /**
     * Writes the snapshot atomically (temp file in the same folder, then a move; parents created),
     * streaming: the text is never held in memory as a whole (a 10,000-table model is ~45 MB).
     *
     * @param snapshot what to write
     * @param file     target file
     * @throws IOException when the file cannot be written; an existing file is then unchanged
     */
    public static void write(Snapshot snapshot, Path file) throws IOException {
        AtomicFileWriter.write(file, out -> {
            java.io.OutputStream buffered = new java.io.BufferedOutputStream(out, 1 << 16);
            writeDocument(snapshot, MAPPER.getFactory().createGenerator(buffered, com.fasterxml.jackson.core.JsonEncoding.UTF8));
            buffered.flush();
        });
    }

    /** The whole file, pretty-printed, then one {@code \n}; flushes (never closes) the target. */
    private static void writeDocument(Snapshot snapshot, JsonGenerator g) throws IOException {
        g.setPrettyPrinter(new DefaultPrettyPrinter(PRETTY));
        g.writeStartObject();
        g.writeNumberField("formatVersion", snapshot.formatVersion());
        g.writeObjectFieldStart("tool");
        g.writeStringField("name", "driftwatch");
        g.writeStringField("version", snapshot.toolVersion());
        g.writeEndObject();
        g.writeStringField("createdAt", snapshot.createdAt() == null ? null : snapshot.createdAt().toString());
        g.writeStringField("source", snapshot.source());
        g.writeStringField("serverVersion", snapshot.model().serverVersion());
        g.writeStringField("contentHash", snapshot.contentHash());
        g.writeFieldName("model");
        writeModel(g, snapshot.model(), FORMAT_VERSION);
        g.writeEndObject();
        g.writeRaw('\n');
        g.flush();
    }

    /**
     * @param model a schema
     * @return {@code sha256:<64 lower-case hex>} over the compact UTF-8 JSON of the model's objects
     *         (the {@code "model"} object of the file; not the server version)
     */
    public static String contentHash(SchemaModel model) {
        return contentHash(model, FORMAT_VERSION);
    }

    /**
     * @param model         a schema
     * @param formatVersion the layout to hash (1 or {@value #FORMAT_VERSION})
     * @return the content hash as written in a file of that format version; the compact JSON is
     *         streamed into the digest, never held in memory
     */
    static String contentHash(SchemaModel model, int formatVersion) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            java.io.OutputStream digest = new java.io.BufferedOutputStream(
                    new java.security.DigestOutputStream(java.io.OutputStream.nullOutputStream(), sha), 1 << 16);
            JsonGenerator g = MAPPER.getFactory().createGenerator(digest, com.fasterxml.jackson.core.JsonEncoding.UTF8);
            writeModel(g, model, formatVersion);
            g.flush();
            digest.flush();
            return "sha256:" + HexFormat.of().formatHex(sha.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash a schema model: " + e.getMessage(), e);
        }
    }

    /**
     * The model as JSON (the {@code "model"} object), streamed; format 1 has no catalog objects,
     * table settings, view options or identity options. Field order is the file format's.
     */
    private static void writeModel(JsonGenerator g, SchemaModel m, int formatVersion) throws IOException {
        boolean v2 = formatVersion >= 2;
        g.writeStartObject();
        strings(g, "schemas", m.schemas());
        g.writeArrayFieldStart("enums");
        for (EnumType e : m.enums()) {
            g.writeStartObject();
            g.writeStringField("schema", e.schema());
            g.writeStringField("name", e.name());
            strings(g, "labels", e.labels());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("sequences");
        for (Sequence s : m.sequences()) {
            g.writeStartObject();
            g.writeStringField("schema", s.schema());
            g.writeStringField("name", s.name());
            g.writeStringField("dataType", s.dataType());
            g.writeNumberField("start", s.start());
            g.writeNumberField("increment", s.increment());
            g.writeNumberField("min", s.min());
            g.writeNumberField("max", s.max());
            g.writeNumberField("cache", s.cache());
            g.writeBooleanField("cycle", s.cycle());
            g.writeStringField("ownedBy", s.ownedBy());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("tables");
        for (Table t : m.tables()) {
            g.writeStartObject();
            g.writeStringField("schema", t.schema());
            g.writeStringField("name", t.name());
            g.writeBooleanField("partitioned", t.partitioned());
            g.writeStringField("partitionKey", t.partitionKey());
            g.writeStringField("partitionOf", t.partitionOf());
            g.writeStringField("partitionBound", t.partitionBound());
            if (v2) {
                g.writeBooleanField("unlogged", t.unlogged());
                g.writeBooleanField("rowSecurity", t.rowSecurity());
                g.writeBooleanField("forceRowSecurity", t.forceRowSecurity());
                strings(g, "options", t.options());
                strings(g, "inherits", t.inherits());
            }
            g.writeArrayFieldStart("columns");
            for (Column c : t.columns()) {
                g.writeStartObject();
                g.writeStringField("name", c.name());
                g.writeNumberField("position", c.position());
                g.writeStringField("type", c.type());
                g.writeBooleanField("notNull", c.notNull());
                g.writeStringField("defaultExpr", c.defaultExpr());
                g.writeStringField("identity", c.identity().name().toLowerCase(Locale.ROOT));
                g.writeStringField("generatedExpr", c.generatedExpr());
                g.writeStringField("collation", c.collation());
                if (v2) {
                    g.writeStringField("identityOptions", c.identityOptions());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("constraints");
            for (Constraint k : t.constraints()) {
                g.writeStartObject();
                g.writeStringField("name", k.name());
                g.writeStringField("type", k.type().name().toLowerCase(Locale.ROOT));
                g.writeStringField("definition", k.definition());
                strings(g, "columns", k.columns());
                g.writeStringField("referencedTable", k.referencedTable());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("indexes");
            for (Index i : t.indexes()) {
                g.writeStartObject();
                g.writeStringField("name", i.name());
                g.writeStringField("definition", i.definition());
                g.writeBooleanField("unique", i.unique());
                g.writeStringField("method", i.method());
                g.writeStringField("predicate", i.predicate());
                g.writeBooleanField("valid", i.valid());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("views");
        for (View v : m.views()) {
            g.writeStartObject();
            g.writeStringField("schema", v.schema());
            g.writeStringField("name", v.name());
            g.writeBooleanField("materialized", v.materialized());
            g.writeStringField("definition", v.definition());
            if (v2) {
                strings(g, "options", v.options());
                if (v.dependsOn() == null) {
                    g.writeNullField("dependsOn");
                } else {
                    strings(g, "dependsOn", v.dependsOn());
                }
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        if (v2) {
            g.writeArrayFieldStart("objects");
            for (CatalogObject c : m.objects()) {
                g.writeStartObject();
                refFields(g, c.ref());
                g.writeObjectFieldStart("attributes");
                for (Map.Entry<String, String> a : c.attributes().entrySet()) {
                    g.writeStringField(a.getKey(), a.getValue());
                }
                g.writeEndObject();
                if (c.target() == null) {
                    g.writeNullField("target");
                } else {
                    g.writeObjectFieldStart("target");
                    refFields(g, c.target());
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("notAudited");
            for (UnmodelledObject u : m.notAudited()) {
                g.writeStartObject();
                g.writeStringField("kind", u.kind());
                g.writeStringField("schema", u.schema());
                g.writeStringField("parent", u.parent());
                g.writeStringField("name", u.name());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void refFields(JsonGenerator g, ObjectRef r) throws IOException {
        g.writeStringField("kind", r.kind().name().toLowerCase(Locale.ROOT));
        g.writeStringField("schema", r.schema());
        g.writeStringField("parent", r.parent());
        g.writeStringField("name", r.name());
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    // ------------------------------------------------------------------ reading

    /**
     * The one-call API: reads a snapshot file and returns its model.
     *
     * @param file a file written by {@code driftwatch inspect} (or {@link #write(Snapshot, Path)})
     * @return exactly the model it was written from
     * @throws SnapshotException one line naming the file: not found, unreadable, not UTF-8, not
     *         JSON, another format version, a missing/unknown/mistyped field, or a hash mismatch
     */
    public static SchemaModel read(Path file) throws SnapshotException {
        return readSnapshot(file).model();
    }

    /**
     * @param json the text of a snapshot file
     * @return exactly the model it was written from
     * @throws SnapshotException as {@link #read(Path)}, naming the origin {@code snapshot}
     */
    public static SchemaModel read(String json) throws SnapshotException {
        return parse(json, "snapshot").model();
    }

    /**
     * @param file a snapshot file
     * @return the snapshot with its facts (time, source, tool version, hash)
     * @throws SnapshotException as {@link #read(Path)}
     */
    public static Snapshot readSnapshot(Path file) throws SnapshotException {
        return readSnapshot(file, true);
    }

    /**
     * Reads a snapshot file, streaming: a file of the current format is parsed in one pass straight
     * into the model (no JSON tree, no whole-file buffer); any other file, and any file the fast path
     * cannot read, goes through the strict tree reader, so what is accepted and every error message
     * are the same as before the fast path existed.
     *
     * @param file       a snapshot file
     * @param verifyHash whether to recompute the content hash and compare it with the file's; the
     *                   expected-model cache passes false for its own entries (named by their key,
     *                   written atomically; truncation still fails the parse), everything reading
     *                   a user's file passes true
     * @return the snapshot with its facts (time, source, tool version, hash as written)
     * @throws SnapshotException as {@link #read(Path)}
     */
    public static Snapshot readSnapshot(Path file, boolean verifyHash) throws SnapshotException {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            Snapshot fast = SnapshotStreamReader.read(in);
            if (verifyHash) {
                checkHash(fast.contentHash(), fast.model(), FORMAT_VERSION, "snapshot " + file);
            }
            return fast;
        } catch (SnapshotStreamReader.Fallback | IOException e) {
            return readTree(file); // the tree reader words the error, or reads what the fast path does not
        }
    }

    private static Snapshot readTree(Path file) throws SnapshotException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new SnapshotException("snapshot file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new SnapshotException("cannot read snapshot file " + file + ": " + e.getMessage(), e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new SnapshotException("snapshot " + file + " is not UTF-8 text", e);
        }
        return parseTree(text, "snapshot " + file);
    }

    /**
     * @param json   the text of a snapshot file
     * @param origin how to name it in messages, e.g. {@code snapshot prod.json}
     * @return the snapshot
     * @throws SnapshotException as {@link #read(Path)}, messages starting with {@code origin}
     */
    public static Snapshot parse(String json, String origin) throws SnapshotException {
        try {
            Snapshot fast = SnapshotStreamReader.read(json);
            checkHash(fast.contentHash(), fast.model(), FORMAT_VERSION, origin);
            return fast;
        } catch (SnapshotStreamReader.Fallback e) {
            return parseTree(json, origin);
        }
    }

    /**
     * The strict tree reader: accepts formats 1 and 2 in any field order and words every error
     * (package-private for tests that compare it with the streaming fast path).
     */
    static Snapshot parseTree(String json, String origin) throws SnapshotException {
        JsonNode doc;
        try {
            doc = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SnapshotException(origin + " is not valid JSON: " + e.getOriginalMessage().lines().findFirst().orElse("")
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")"), e);
        }
        if (doc == null || !doc.isObject()) {
            throw new SnapshotException(origin + " is not a Driftwatch snapshot (expected a JSON object with formatVersion)", null);
        }
        JsonNode version = doc.get("formatVersion");
        if (version == null) {
            throw new SnapshotException(origin + " is not a Driftwatch snapshot: it has no formatVersion", null);
        }
        if (!version.isIntegralNumber() || !version.canConvertToInt()) {
            throw new SnapshotException(origin + ": formatVersion " + version + " is not a whole number", null);
        }
        int v = version.intValue();
        if (v != FORMAT_VERSION && v != 1) {
            throw new SnapshotException(origin + " has snapshot formatVersion " + v + "; this driftwatch reads formatVersion 1 to "
                    + FORMAT_VERSION + (v > FORMAT_VERSION ? " only: use a newer driftwatch, or re-create it with this one's inspect"
                    : " only: re-create it with driftwatch inspect"), null);
        }
        Reader r = new Reader(origin, v);
        r.fields(doc, "", Set.of("formatVersion", "tool", "createdAt", "source", "serverVersion", "contentHash", "model"));
        JsonNode tool = r.object(doc, "", "tool");
        r.fields(tool, "tool", Set.of("name", "version"));
        String toolName = r.text(tool, "tool", "name");
        if (!"driftwatch".equals(toolName)) {
            throw new SnapshotException(origin + ": tool.name is \"" + toolName + "\", not \"driftwatch\"", null);
        }
        String toolVersion = r.text(tool, "tool", "version");
        String created = r.optText(doc, "", "createdAt");
        Instant createdAt;
        try {
            createdAt = created == null ? null : Instant.parse(created);
        } catch (DateTimeParseException e) {
            throw new SnapshotException(origin + ": createdAt \"" + created + "\" is not an ISO-8601 instant like 2024-05-01T10:15:30Z", e);
        }
        String source = r.text(doc, "", "source");
        String serverVersion = r.optText(doc, "", "serverVersion");
        String hash = r.text(doc, "", "contentHash");
        SchemaModel model = r.model(r.object(doc, "", "model"), serverVersion);
        checkHash(hash, model, v, origin);
        return new Snapshot(v, toolVersion, createdAt, source, hash, model);
    }

    private static void checkHash(String hash, SchemaModel model, int formatVersion, String origin) throws SnapshotException {
        String actual = contentHash(model, formatVersion);
        if (!actual.equals(hash)) {
            throw new SnapshotException(origin + ": contentHash " + hash + " does not match its model (" + actual
                    + "); the file was edited or damaged: re-create it with driftwatch inspect", null);
        }
    }

    /** Strict field access with the JSON path in every message. */
    private static final class Reader {
        private final String origin;
        private final int version;
        private final boolean v2;

        Reader(String origin, int version) {
            this.origin = origin;
            this.version = version;
            this.v2 = version >= 2;
        }

        /** the fields of format 1 plus, from format 2 on, {@code added} */
        private Set<String> known(Set<String> v1, String... added) {
            if (!v2) {
                return v1;
            }
            Set<String> all = new java.util.HashSet<>(v1);
            all.addAll(List.of(added));
            return all;
        }

        ObjectRef ref(JsonNode n, String q) throws SnapshotException {
            fields(n, q, Set.of("kind", "schema", "parent", "name"));
            return new ObjectRef(constant(n, q, "kind", ObjectKind.values()), optText(n, q, "schema"),
                    optText(n, q, "parent"), text(n, q, "name"));
        }

        CatalogObject catalogObject(JsonNode n, String q) throws SnapshotException {
            fields(n, q, Set.of("kind", "schema", "parent", "name", "attributes", "target"));
            ObjectNode refNode = NODES.objectNode();
            for (String k : List.of("kind", "schema", "parent", "name")) {
                refNode.set(k, present(n, q, k));
            }
            ObjectRef ref = ref(refNode, q);
            JsonNode attrs = object(n, q, "attributes");
            Map<String, String> attributes = new java.util.LinkedHashMap<>();
            for (Iterator<String> it = attrs.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                attributes.put(k, text(attrs, join(q, "attributes"), k));
            }
            JsonNode t = present(n, q, "target");
            ObjectRef target = null;
            if (!t.isNull()) {
                if (!t.isObject()) {
                    throw fail(join(q, "target"), "is not an object or null");
                }
                target = ref(t, join(q, "target"));
            }
            return new CatalogObject(ref, attributes, target);
        }

        SchemaModel model(JsonNode m, String serverVersion) throws SnapshotException {
            String p = "model";
            fields(m, p, known(Set.of("schemas", "enums", "sequences", "tables", "views"), "objects", "notAudited"));
            List<String> schemas = stringList(m, p, "schemas");
            List<EnumType> enums = list(m, p, "enums", (n, q) -> {
                fields(n, q, Set.of("schema", "name", "labels"));
                return new EnumType(text(n, q, "schema"), text(n, q, "name"), stringList(n, q, "labels"));
            });
            List<Sequence> sequences = list(m, p, "sequences", (n, q) -> {
                fields(n, q, Set.of("schema", "name", "dataType", "start", "increment", "min", "max", "cache",
                        "cycle", "ownedBy"));
                return new Sequence(text(n, q, "schema"), text(n, q, "name"), text(n, q, "dataType"),
                        longValue(n, q, "start"), longValue(n, q, "increment"), longValue(n, q, "min"),
                        longValue(n, q, "max"), longValue(n, q, "cache"), bool(n, q, "cycle"), optText(n, q, "ownedBy"));
            });
            List<Table> tables = list(m, p, "tables", this::table);
            List<View> views = list(m, p, "views", (n, q) -> {
                fields(n, q, known(Set.of("schema", "name", "materialized", "definition"), "options", "dependsOn"));
                List<String> dependsOn = v2 && !present(n, q, "dependsOn").isNull() ? stringList(n, q, "dependsOn") : null;
                return new View(text(n, q, "schema"), text(n, q, "name"), bool(n, q, "materialized"),
                        optText(n, q, "definition"), v2 ? stringList(n, q, "options") : List.of(), dependsOn);
            });
            if (!v2) {
                return new SchemaModel(serverVersion, schemas, tables, views, sequences, enums);
            }
            List<CatalogObject> objects = list(m, p, "objects", this::catalogObject);
            List<UnmodelledObject> notAudited = list(m, p, "notAudited", (n, q) -> {
                fields(n, q, Set.of("kind", "schema", "parent", "name"));
                return new UnmodelledObject(text(n, q, "kind"), optText(n, q, "schema"), optText(n, q, "parent"),
                        text(n, q, "name"));
            });
            return new SchemaModel(serverVersion, schemas, tables, views, sequences, enums, objects, notAudited);
        }

        Table table(JsonNode n, String q) throws SnapshotException {
            fields(n, q, known(Set.of("schema", "name", "partitioned", "partitionKey", "partitionOf", "partitionBound",
                    "columns", "constraints", "indexes"), "unlogged", "rowSecurity", "forceRowSecurity", "options", "inherits"));
            List<Column> columns = list(n, q, "columns", (c, cq) -> {
                fields(c, cq, known(Set.of("name", "position", "type", "notNull", "defaultExpr", "identity",
                        "generatedExpr", "collation"), "identityOptions"));
                long position = longValue(c, cq, "position");
                if (position < Integer.MIN_VALUE || position > Integer.MAX_VALUE) {
                    throw fail(cq + ".position", "is out of range");
                }
                return new Column(text(c, cq, "name"), (int) position, text(c, cq, "type"), bool(c, cq, "notNull"),
                        optText(c, cq, "defaultExpr"), constant(c, cq, "identity", Column.Identity.values()),
                        optText(c, cq, "generatedExpr"), optText(c, cq, "collation"),
                        v2 ? optText(c, cq, "identityOptions") : null);
            });
            List<Constraint> constraints = list(n, q, "constraints", (c, cq) -> {
                fields(c, cq, Set.of("name", "type", "definition", "columns", "referencedTable"));
                return new Constraint(text(c, cq, "name"), constant(c, cq, "type", Constraint.Type.values()),
                        text(c, cq, "definition"), stringList(c, cq, "columns"), optText(c, cq, "referencedTable"));
            });
            List<Index> indexes = list(n, q, "indexes", (c, cq) -> {
                fields(c, cq, Set.of("name", "definition", "unique", "method", "predicate", "valid"));
                return new Index(text(c, cq, "name"), text(c, cq, "definition"), bool(c, cq, "unique"),
                        optText(c, cq, "method"), optText(c, cq, "predicate"), bool(c, cq, "valid"));
            });
            if (!v2) {
                return new Table(text(n, q, "schema"), text(n, q, "name"), bool(n, q, "partitioned"),
                        optText(n, q, "partitionKey"), optText(n, q, "partitionOf"), optText(n, q, "partitionBound"),
                        columns, constraints, indexes);
            }
            return new Table(text(n, q, "schema"), text(n, q, "name"), bool(n, q, "partitioned"),
                    optText(n, q, "partitionKey"), optText(n, q, "partitionOf"), optText(n, q, "partitionBound"),
                    columns, constraints, indexes, bool(n, q, "unlogged"), bool(n, q, "rowSecurity"),
                    bool(n, q, "forceRowSecurity"), stringList(n, q, "options"), stringList(n, q, "inherits"));
        }

        @FunctionalInterface
        interface Item<T> {
            T read(JsonNode node, String path) throws SnapshotException;
        }

        <T> List<T> list(JsonNode parent, String path, String key, Item<T> item) throws SnapshotException {
            JsonNode a = present(parent, path, key);
            String p = join(path, key);
            if (!a.isArray()) {
                throw fail(p, "is not an array");
            }
            List<T> out = new ArrayList<>(a.size());
            for (int i = 0; i < a.size(); i++) {
                JsonNode e = a.get(i);
                String ep = p + "[" + i + "]";
                if (!e.isObject()) {
                    throw fail(ep, "is not an object");
                }
                out.add(item.read(e, ep));
            }
            return out;
        }

        List<String> stringList(JsonNode parent, String path, String key) throws SnapshotException {
            JsonNode a = present(parent, path, key);
            String p = join(path, key);
            if (!a.isArray()) {
                throw fail(p, "is not an array");
            }
            List<String> out = new ArrayList<>(a.size());
            for (int i = 0; i < a.size(); i++) {
                if (!a.get(i).isTextual()) {
                    throw fail(p + "[" + i + "]", "is not a string");
                }
                out.add(a.get(i).textValue());
            }
            return out;
        }

        void fields(JsonNode node, String path, Set<String> known) throws SnapshotException {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!known.contains(f)) {
                    throw fail(join(path, f), "is not a field of snapshot formatVersion " + version);
                }
            }
        }

        JsonNode object(JsonNode parent, String path, String key) throws SnapshotException {
            JsonNode n = present(parent, path, key);
            if (!n.isObject()) {
                throw fail(join(path, key), "is not an object");
            }
            return n;
        }

        String text(JsonNode parent, String path, String key) throws SnapshotException {
            JsonNode n = present(parent, path, key);
            if (!n.isTextual()) {
                throw fail(join(path, key), n.isNull() ? "is null but must be a string" : "is not a string");
            }
            return n.textValue();
        }

        String optText(JsonNode parent, String path, String key) throws SnapshotException {
            JsonNode n = present(parent, path, key);
            if (n.isNull()) {
                return null;
            }
            if (!n.isTextual()) {
                throw fail(join(path, key), "is not a string or null");
            }
            return n.textValue();
        }

        boolean bool(JsonNode parent, String path, String key) throws SnapshotException {
            JsonNode n = present(parent, path, key);
            if (!n.isBoolean()) {
                throw fail(join(path, key), "is not true or false");
            }
            return n.booleanValue();
        }

        long longValue(JsonNode parent, String path, String key) throws SnapshotException {
            JsonNode n = present(parent, path, key);
            if (!n.isIntegralNumber() || !n.canConvertToLong()) {
                throw fail(join(path, key), "is not a whole number in the 64-bit range");
            }
            return n.longValue();
        }

        <E extends Enum<E>> E constant(JsonNode parent, String path, String key, E[] values) throws SnapshotException {
            String t = text(parent, path, key);
            for (E e : values) {
                if (e.name().toLowerCase(Locale.ROOT).equals(t)) {
                    return e;
                }
            }
            Function<E, String> word = e -> e.name().toLowerCase(Locale.ROOT);
            List<String> allowed = new ArrayList<>();
            for (E e : values) {
                allowed.add(word.apply(e));
            }
            throw fail(join(path, key), "\"" + t + "\" is not one of " + String.join(", ", allowed));
        }

        JsonNode present(JsonNode parent, String path, String key) throws SnapshotException {
            JsonNode n = parent.get(key);
            if (n == null) {
                throw fail(join(path, key), "is missing");
            }
            return n;
        }

        SnapshotException fail(String path, String what) {
            return new SnapshotException(origin + ": " + path + " " + what, null);
        }

        private static String join(String path, String key) {
            return path.isEmpty() ? key : path + "." + key;
        }
    }
}
