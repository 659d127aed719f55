package io.driftwatch.snapshot;

import io.driftwatch.model.Column;
import io.driftwatch.model.Constraint;
import io.driftwatch.model.EnumType;
import io.driftwatch.model.Index;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.model.Sequence;
import io.driftwatch.model.Table;
import io.driftwatch.model.View;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The snapshot format without a database: round trip, determinism, strict reading. */
class SnapshotCodecTest {

    /**
     * A model that sets every field of every record, with nulls, quotes, unicode and extreme numbers,
     * catalog objects (plain and attached), table settings, view options and unmodelled objects.
     */
    static SchemaModel richModel() {
        SchemaModel v1 = formatOneModel();
        Table settings = new Table("public", "audit_log", false, null, null, null,
                List.of(new Column("id", 1, "integer", true, null, Column.Identity.ALWAYS, null, null,
                        "AS integer INCREMENT BY 5 MINVALUE 1 MAXVALUE 2147483647 START WITH 10 CACHE 1 NO CYCLE")),
                List.of(), List.of(), true, true, false, List.of("fillfactor=70", "autovacuum_enabled=false"),
                List.of("public.base_log"));
        List<Table> tables = new java.util.ArrayList<>(v1.tables());
        tables.add(settings);
        List<View> views = List.of(new View("public", "secure", false, " SELECT 1 AS one;",
                List.of("security_barrier=true", "check_option=local"), List.of("public.orders", "public.\"Odd Name\"")));
        List<io.driftwatch.model.CatalogObject> objects = List.of(
                new io.driftwatch.model.CatalogObject(io.driftwatch.model.ObjectRef.of(io.driftwatch.model.ObjectKind.FUNCTION,
                        "public", "touch(integer, text)"), java.util.Map.of("definition",
                        "CREATE OR REPLACE FUNCTION public.touch(integer, text)\n RETURNS void\n LANGUAGE sql\nAS $$ SELECT 'ünï' $$\n",
                        "volatility", "v")),
                new io.driftwatch.model.CatalogObject(new io.driftwatch.model.ObjectRef(io.driftwatch.model.ObjectKind.COMMENT,
                        "public", null, "column public.orders.status"), java.util.Map.of("text", "it's \"quoted\""),
                        io.driftwatch.model.ObjectRef.child(io.driftwatch.model.ObjectKind.COLUMN, "public", "orders", "status")));
        return new SchemaModel(v1.serverVersion(), v1.schemas(), tables,
                java.util.stream.Stream.concat(v1.views().stream(), views.stream()).toList(), v1.sequences(), v1.enums(),
                objects, List.of(new io.driftwatch.model.UnmodelledObject("foreign table", "public", "remote_orders"),
                        new io.driftwatch.model.UnmodelledObject("publication", null, "all_tables")));
    }

    /** Only what snapshot format 1 can hold. */
    static SchemaModel formatOneModel() {
        Table orders = new Table("public", "orders", false, null, null, null,
                List.of(new Column("id", 1, "bigint", true, null, Column.Identity.ALWAYS, null, null),
                        new Column("status", 2, "public.order_status", true, "'pending'::public.order_status",
                                Column.Identity.NONE, null, null),
                        new Column("Note \"quoted\"", 4, "text", false, null, Column.Identity.NONE, null,
                                "pg_catalog.\"C\""),
                        new Column("total_cents", 5, "bigint", false, null, Column.Identity.BY_DEFAULT,
                                null, null),
                        new Column("größe", 6, "numeric(12,2)", false, null, Column.Identity.NONE,
                                "(total_cents / 100)", null)),
                List.of(new Constraint("orders_pkey", Constraint.Type.PRIMARY_KEY, "PRIMARY KEY (id)", List.of("id"), null),
                        new Constraint("orders_customer_fk", Constraint.Type.FOREIGN_KEY,
                                "FOREIGN KEY (customer_id) REFERENCES public.customers(id) ON DELETE CASCADE",
                                List.of("customer_id"), "public.customers"),
                        new Constraint("orders_total_check", Constraint.Type.CHECK, "CHECK ((total_cents >= 0))",
                                List.of("total_cents"), null),
                        new Constraint("orders_ex", Constraint.Type.EXCLUSION, "EXCLUDE USING gist (id WITH =)",
                                List.of("id"), null),
                        new Constraint("orders_ref_key", Constraint.Type.UNIQUE, "UNIQUE (ref)", List.of(), null)),
                List.of(new Index("orders_open_idx",
                        "CREATE INDEX orders_open_idx ON public.orders USING btree (status) WHERE (status <> 'done'::text)",
                        false, "btree", "(status <> 'done'::text)", false)));
        Table events = new Table("billing", "events", true, "RANGE (at)", null, null,
                List.of(new Column("at", 1, "timestamp with time zone", true, "now()", Column.Identity.NONE, null, null)),
                List.of(), List.of());
        Table events2024 = new Table("billing", "events_2024", false, null, "billing.events",
                "FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2025-01-01 00:00:00+00')",
                List.of(new Column("at", 1, "timestamp with time zone", true, "now()", Column.Identity.NONE, null, null)),
                List.of(), List.of());
        return new SchemaModel("15.18 (Debian 15.18-0+deb12u1)", List.of("public", "billing"),
                List.of(orders, events2024, events),
                List.of(new View("public", "order_totals", false, " SELECT o.id\n   FROM public.orders o;"),
                        new View("public", "stats", true, " SELECT 1 AS one;")),
                List.of(new Sequence("public", "ticket_seq", "bigint", Long.MIN_VALUE, -1, Long.MIN_VALUE,
                        Long.MAX_VALUE, 20, true, "public.orders.id"),
                        new Sequence("public", "plain_seq", "integer", 1, 1, 1, 2147483647, 1, false, null)),
                List.of(new EnumType("public", "order_status", List.of("pending", "it's done", "ünïcode"))));
    }

    @Test
    void aSnapshotIsReadBackIntoExactlyTheModelItWasWrittenFrom() throws Exception {
        SchemaModel model = richModel();
        assertEquals(model, SnapshotCodec.read(SnapshotCodec.write(model)));
        assertEquals(SchemaModel.empty(), SnapshotCodec.read(SnapshotCodec.write(SchemaModel.empty())));
    }

    @Test
    void aSnapshotFileKeepsItsFacts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/prod.json");
        Snapshot s = Snapshot.of(richModel(), "postgresql://app@db:5432/shop", Instant.parse("2024-05-01T10:15:30Z"));
        SnapshotCodec.write(s, file);
        Snapshot back = SnapshotCodec.readSnapshot(file);
        assertEquals(s, back);
        assertEquals(richModel(), SnapshotCodec.read(file));
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\n  \"formatVersion\" : 2,\n  \"tool\" : {\n    \"name\" : \"driftwatch\",\n"), text);
        assertTrue(text.contains("\n  \"createdAt\" : \"2024-05-01T10:15:30Z\",\n  \"source\" : \"postgresql://app@db:5432/shop\",\n"
                + "  \"serverVersion\" : \"15.18 (Debian 15.18-0+deb12u1)\",\n  \"contentHash\" : \"sha256:"), text);
        assertTrue(text.endsWith("}\n") && !text.endsWith("}\n\n") && !text.contains("\r"), text);
    }

    @Test
    void theSameModelGivesTheSameBytesAndTheHashCoversOnlyTheObjects() {
        SchemaModel a = richModel();
        SchemaModel b = richModel();
        assertEquals(SnapshotCodec.write(a), SnapshotCodec.write(b));
        SchemaModel otherServer = a.withServerVersion("17.2");
        assertEquals(SnapshotCodec.contentHash(a), SnapshotCodec.contentHash(otherServer));
        assertEquals(SnapshotCodec.contentHash(a),
                Snapshot.of(a, "migrations:db@16", Instant.now()).contentHash());
        SchemaModel oneLabelMore = new SchemaModel(a.serverVersion(), a.schemas(), a.tables(), a.views(), a.sequences(),
                List.of(new EnumType("public", "order_status", List.of("pending", "it's done", "ünïcode", "new"))));
        assertNotEquals(SnapshotCodec.contentHash(a), SnapshotCodec.contentHash(oneLabelMore));
        assertTrue(SnapshotCodec.contentHash(a).matches("sha256:[0-9a-f]{64}"));
    }

    @Test
    void withoutATimestampCreatedAtIsNull() throws Exception {
        Snapshot s = SnapshotCodec.parse(SnapshotCodec.write(richModel()), "x");
        assertNull(s.createdAt());
        assertEquals("model", s.source());
        assertEquals(SnapshotCodec.FORMAT_VERSION, s.formatVersion());
    }

    @Test
    void aFormatOneFileIsStillReadWithItsOwnHash() throws Exception {
        SchemaModel model = formatOneModel();
        com.fasterxml.jackson.databind.node.ObjectNode doc = (com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(SnapshotCodec.write(model));
        doc.put("formatVersion", 1);
        com.fasterxml.jackson.databind.node.ObjectNode m = (com.fasterxml.jackson.databind.node.ObjectNode) doc.get("model");
        m.remove(List.of("objects", "notAudited"));
        m.get("views").forEach(v -> ((com.fasterxml.jackson.databind.node.ObjectNode) v).remove(List.of("options", "dependsOn")));
        m.get("tables").forEach(t -> {
            ((com.fasterxml.jackson.databind.node.ObjectNode) t).remove(
                    List.of("unlogged", "rowSecurity", "forceRowSecurity", "options", "inherits"));
            t.get("columns").forEach(c -> ((com.fasterxml.jackson.databind.node.ObjectNode) c).remove("identityOptions"));
        });
        doc.put("contentHash", SnapshotCodec.contentHash(model, 1));
        assertEquals(model, SnapshotCodec.parse(doc.toString(), "old.json").model());
        // a format-2 field in a format-1 file is refused, never silently read
        m.withArray("views").forEach(v -> ((com.fasterxml.jackson.databind.node.ObjectNode) v).putArray("options"));
        assertEquals("old.json: model.views[0].options is not a field of snapshot formatVersion 1",
                assertThrows(SnapshotException.class, () -> SnapshotCodec.parse(doc.toString(), "old.json")).getMessage());
    }

    @Test
    void anotherFormatVersionIsRefusedNeverMisread() {
        String text = SnapshotCodec.write(richModel()).replace("\"formatVersion\" : 2,", "\"formatVersion\" : 999,");
        SnapshotException e = assertThrows(SnapshotException.class, () -> SnapshotCodec.parse(text, "snapshot prod.json"));
        assertEquals("snapshot prod.json has snapshot formatVersion 999; this driftwatch reads formatVersion 1 to 2 only: "
                + "use a newer driftwatch, or re-create it with this one's inspect", e.getMessage());
        String old = SnapshotCodec.write(richModel()).replace("\"formatVersion\" : 2,", "\"formatVersion\" : 0,");
        assertEquals("snapshot old.json has snapshot formatVersion 0; this driftwatch reads formatVersion 1 to 2 only: "
                        + "re-create it with driftwatch inspect",
                assertThrows(SnapshotException.class, () -> SnapshotCodec.parse(old, "snapshot old.json")).getMessage());
    }

    @Test
    void damagedOrForeignFilesAreRefusedWithOneLine(@TempDir Path dir) throws Exception {
        String good = SnapshotCodec.write(richModel());
        assertEquals("s: model.tables[0].columns[0].type is missing",
                refused(good.replaceFirst("\"type\" : \"timestamp with time zone\",", "")));
        assertEquals("s: model.tables[0].comment is not a field of snapshot formatVersion 2",
                refused(good.replaceFirst("\"partitioned\" : true,", "\"partitioned\" : true, \"comment\" : null,")));
        assertEquals("s: model.sequences[0].start is not a whole number in the 64-bit range",
                refused(good.replaceFirst("\"start\" : 1,", "\"start\" : \"1\",")));
        assertEquals("s: model.tables[2].columns[0].identity \"sometimes\" is not one of none, always, by_default",
                refused(good.replaceFirst("\"identity\" : \"always\"", "\"identity\" : \"sometimes\"")));
        assertTrue(refused(good.replaceFirst("\"pending\"", "\"PENDING\"")).startsWith("s: contentHash sha256:"));
        assertTrue(refused(good.replaceFirst("\"pending\"", "\"PENDING\""))
                .endsWith("; the file was edited or damaged: re-create it with driftwatch inspect"));
        assertEquals("s is not a Driftwatch snapshot: it has no formatVersion", refused("{\"findings\": []}"));
        assertEquals("s is not a Driftwatch snapshot (expected a JSON object with formatVersion)", refused("[1, 2]"));
        assertTrue(refused("{\"formatVersion\": 1,").startsWith("s is not valid JSON: "), refused("{\"formatVersion\": 1,"));
        assertTrue(refused(good.replaceFirst("\"source\" :", "\"source\" : \"a\", \"source\" :"))
                .startsWith("s is not valid JSON: Duplicate field 'source'"));

        // re-indenting by hand is harmless: the hash is over the parsed model
        String compact = new com.fasterxml.jackson.databind.ObjectMapper().readTree(good).toString();
        assertEquals(richModel(), SnapshotCodec.read(compact));

        assertEquals("snapshot file " + dir.resolve("nope.json") + " does not exist",
                assertThrows(SnapshotException.class, () -> SnapshotCodec.read(dir.resolve("nope.json"))).getMessage());
        Path latin1 = dir.resolve("latin1.json");
        Files.write(latin1, new byte[]{'{', (byte) 0xE9, '}'});
        assertEquals("snapshot " + latin1 + " is not UTF-8 text",
                assertThrows(SnapshotException.class, () -> SnapshotCodec.read(latin1)).getMessage());
    }

    private static String refused(String text) {
        return assertThrows(SnapshotException.class, () -> SnapshotCodec.parse(text, "s")).getMessage();
    }
}
