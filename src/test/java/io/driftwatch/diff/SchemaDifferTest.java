package io.driftwatch.diff;

import io.driftwatch.model.Column;
import io.driftwatch.model.Constraint;
import io.driftwatch.model.EnumType;
import io.driftwatch.model.Index;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.model.Sequence;
import io.driftwatch.model.Table;
import io.driftwatch.model.View;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaDifferTest {

    private final SchemaDiffer differ = new SchemaDiffer();

    static Column col(String name, int pos, String type, boolean notNull, String def) {
        return new Column(name, pos, type, notNull, def, Column.Identity.NONE, null, null);
    }

    static Table table(String schema, String name, List<Column> cols, List<Constraint> cons, List<Index> idx) {
        return new Table(schema, name, false, null, null, null, cols, cons, idx);
    }

    static SchemaModel model(List<Table> tables, List<View> views, List<Sequence> seqs, List<EnumType> enums) {
        return new SchemaModel("15.0", List.of("public"), tables, views, seqs, enums);
    }

    private static final Constraint PK = new Constraint("orders_pkey", Constraint.Type.PRIMARY_KEY,
            "PRIMARY KEY (id)", List.of("id"), null);
    private static final Constraint FK = new Constraint("orders_customer_id_fkey", Constraint.Type.FOREIGN_KEY,
            "FOREIGN KEY (customer_id) REFERENCES public.customers(id)", List.of("customer_id"), "public.customers");
    private static final Index IDX = new Index("orders_customer_idx",
            "CREATE INDEX orders_customer_idx ON public.orders USING btree (customer_id)", false, "btree", null, true);

    private static Table orders(List<Column> cols, List<Constraint> cons, List<Index> idx) {
        return table("public", "orders", cols, cons, idx);
    }

    private static final List<Column> COLS = List.of(
            col("id", 1, "bigint", true, null),
            col("customer_id", 2, "bigint", true, null),
            col("status", 3, "public.order_status", true, "'pending'::public.order_status"));

    @Test
    void equalModelsGiveNoChanges() {
        SchemaModel a = model(List.of(orders(COLS, List.of(PK, FK), List.of(IDX))), List.of(), List.of(),
                List.of(new EnumType("public", "order_status", List.of("pending", "paid"))));
        SchemaModel b = model(List.of(orders(COLS, List.of(FK, PK), List.of(IDX))), List.of(), List.of(),
                List.of(new EnumType("public", "order_status", List.of("pending", "paid"))));
        assertEquals(List.of(), differ.diff(a, b));
    }

    @Test
    void columnOrderAndServerVersionAreNotDrift() {
        List<Column> reordered = List.of(
                col("customer_id", 1, "bigint", true, null),
                col("id", 2, "bigint", true, null),
                col("status", 3, "public.order_status", true, "'pending'::public.order_status"));
        SchemaModel a = model(List.of(orders(COLS, List.of(), List.of())), List.of(), List.of(), List.of());
        SchemaModel b = new SchemaModel("17.7", List.of("public"), List.of(orders(reordered, List.of(), List.of())),
                List.of(), List.of(), List.of());
        assertEquals(List.of(), differ.diff(a, b));
    }

    @Test
    void addedAndDroppedTablesAreOneChangeEach() {
        Table extra = table("public", "tmp_fix", List.of(col("x", 1, "integer", false, null)), List.of(), List.of());
        SchemaModel expected = model(List.of(orders(COLS, List.of(PK), List.of())), List.of(), List.of(), List.of());
        SchemaModel actual = model(List.of(extra), List.of(), List.of(), List.of());
        List<Change> changes = differ.diff(expected, actual);
        assertEquals(2, changes.size());
        assertEquals(new Change.DropTable(orders(COLS, List.of(PK), List.of())), changes.get(0));
        assertEquals(new Change.AddTable(extra), changes.get(1));
    }

    @Test
    void columnAttributesAreCollectedIntoOneModifyColumn() {
        List<Column> drifted = List.of(
                col("id", 1, "bigint", true, null),
                col("customer_id", 2, "integer", false, null),
                col("status", 3, "public.order_status", true, "'paid'::public.order_status"),
                col("hotfix", 4, "text", false, null));
        SchemaModel expected = model(List.of(orders(COLS, List.of(), List.of())), List.of(), List.of(), List.of());
        SchemaModel actual = model(List.of(orders(drifted, List.of(), List.of())), List.of(), List.of(), List.of());
        List<Change> changes = differ.diff(expected, actual);
        assertEquals(3, changes.size(), changes.toString());
        Change.ModifyColumn customer = (Change.ModifyColumn) changes.get(0);
        assertEquals("customer_id", customer.to().name());
        assertEquals(Set.of(ChangeKind.TYPE, ChangeKind.NULLABILITY), customer.changes());
        Change.AddColumn hotfix = (Change.AddColumn) changes.get(1);
        assertEquals("hotfix", hotfix.column().name());
        Change.ModifyColumn status = (Change.ModifyColumn) changes.get(2);
        assertEquals(Set.of(ChangeKind.DEFAULT), status.changes());
        assertEquals("public.orders.status", status.ref().qualifiedName());
    }

    @Test
    void constraintsAndIndexesMatchByNameAndCompareDefinitions() {
        Constraint fkCascade = new Constraint("orders_customer_id_fkey", Constraint.Type.FOREIGN_KEY,
                "FOREIGN KEY (customer_id) REFERENCES public.customers(id) ON DELETE CASCADE", List.of("customer_id"),
                "public.customers");
        Index extra = new Index("orders_note_idx", "CREATE INDEX orders_note_idx ON public.orders USING btree (id)",
                false, "btree", null, true);
        Index invalid = new Index(IDX.name(), IDX.definition(), false, "btree", null, false);
        SchemaModel expected = model(List.of(orders(COLS, List.of(PK, FK), List.of(IDX))), List.of(), List.of(), List.of());
        SchemaModel actual = model(List.of(orders(COLS, List.of(fkCascade), List.of(invalid, extra))),
                List.of(), List.of(), List.of());
        List<Change> changes = differ.diff(expected, actual);
        assertEquals(List.of(
                new Change.ModifyConstraint(orders(COLS, List.of(fkCascade), List.of(invalid, extra)), FK, fkCascade),
                new Change.ModifyIndex(orders(COLS, List.of(fkCascade), List.of(invalid, extra)), IDX, invalid),
                new Change.AddIndex(orders(COLS, List.of(fkCascade), List.of(invalid, extra)), extra),
                new Change.DropConstraint(orders(COLS, List.of(fkCascade), List.of(invalid, extra)), PK)),
                changes);
    }

    @Test
    void viewsSequencesEnumsAndSchemas() {
        View v1 = new View("public", "order_totals", false, " SELECT 1 AS x;");
        View v2 = new View("public", "order_totals", false, " SELECT 2 AS x;");
        View mv = new View("public", "daily", true, " SELECT 1;");
        View plain = new View("public", "daily", false, " SELECT 1;");
        Sequence s1 = new Sequence("public", "invoice_no", "bigint", 1000, 1, 1, Long.MAX_VALUE, 1, false, null);
        Sequence s2 = new Sequence("public", "invoice_no", "bigint", 1000, 10, 1, Long.MAX_VALUE, 1, false, null);
        EnumType e1 = new EnumType("public", "order_status", List.of("pending", "paid"));
        EnumType e2 = new EnumType("public", "order_status", List.of("pending", "paid", "refunded"));
        SchemaModel a = new SchemaModel(null, List.of("public", "billing"), List.of(), List.of(v1, mv),
                List.of(s1), List.of(e1));
        SchemaModel b = new SchemaModel(null, List.of("public", "scratch"), List.of(), List.of(v2, plain),
                List.of(s2), List.of(e2));
        List<Change> changes = differ.diff(a, b);
        assertTrue(changes.contains(new Change.DropSchema("billing")));
        assertTrue(changes.contains(new Change.AddSchema("scratch")));
        assertTrue(changes.contains(new Change.ModifyView(v1, v2)));
        assertTrue(changes.contains(new Change.DropView(mv)));
        assertTrue(changes.contains(new Change.AddView(plain)));
        assertTrue(changes.contains(new Change.ModifySequence(s1, s2)));
        assertTrue(changes.contains(new Change.ModifyEnum(e1, e2)));
        assertEquals(7, changes.size(), changes.toString());
        assertEquals(changes, differ.diff(a, b), "deterministic order");
    }

    @Test
    void sameNamesInDifferentSchemasAreDifferentObjects() {
        Table a = table("public", "t", List.of(col("x", 1, "integer", false, null)), List.of(), List.of());
        Table b = table("billing", "t", List.of(col("x", 1, "integer", false, null)), List.of(), List.of());
        List<Change> changes = differ.diff(model(List.of(a), List.of(), List.of(), List.of()),
                model(List.of(b), List.of(), List.of(), List.of()));
        assertEquals(List.of(new Change.AddTable(b), new Change.DropTable(a)), changes);
    }
}
