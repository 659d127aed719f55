package io.driftwatch.policy;

import io.driftwatch.diff.Change;
import io.driftwatch.diff.ChangeKind;
import io.driftwatch.model.Column;
import io.driftwatch.model.Constraint;
import io.driftwatch.model.Index;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.Table;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClassifierTest {

    private final Classifier classifier = new Classifier();

    private static final Column STATUS_EXPECTED = new Column("status", 3, "text", true, "'pending'::text",
            Column.Identity.NONE, null, null);
    private static final Column STATUS_ACTUAL = new Column("status", 3, "character varying(20)", false, "'new'::text",
            Column.Identity.NONE, null, null);
    private static final Table ORDERS = new Table("public", "orders", false, null, null, null,
            List.of(STATUS_ACTUAL), List.of(), List.of());

    @Test
    void modifyColumnGivesOneFindingPerAttribute() {
        List<Finding> f = classifier.drift(List.of(new Change.ModifyColumn(ORDERS, STATUS_EXPECTED, STATUS_ACTUAL,
                EnumSet.of(ChangeKind.DEFAULT, ChangeKind.TYPE, ChangeKind.NULLABILITY))));
        assertEquals(List.of("DW109", "DW110", "DW111"), f.stream().map(x -> x.rule().id()).toList());
        Finding type = f.get(0);
        assertEquals(Severity.ERROR, type.severity());
        assertEquals("text", type.expected());
        assertEquals("character varying(20)", type.actual());
        assertEquals("column public.orders.status is character varying(20) in the database but text in the migrations",
                type.message());
        assertEquals("NOT NULL", f.get(1).expected());
        assertEquals("NULL", f.get(1).actual());
        assertEquals("column public.orders.status is nullable in the database but NOT NULL in the migrations",
                f.get(1).message());
        assertEquals(Severity.WARNING, f.get(2).severity());
    }

    @Test
    void extraAndMissingObjectsMapToTheirRules() {
        Index idx = new Index("orders_note_idx", "CREATE INDEX orders_note_idx ON public.orders USING btree (note)",
                false, "btree", null, true);
        Constraint fk = new Constraint("orders_customer_id_fkey", Constraint.Type.FOREIGN_KEY,
                "FOREIGN KEY (customer_id) REFERENCES public.customers(id)", List.of("customer_id"), "public.customers");
        List<Finding> f = classifier.drift(List.of(
                new Change.AddIndex(ORDERS, idx),
                new Change.DropConstraint(ORDERS, fk),
                new Change.AddColumn(ORDERS, STATUS_ACTUAL),
                new Change.DropTable(ORDERS)));
        assertEquals(List.of("DW101 extra-index public.orders.orders_note_idx",
                        "DW116 missing-constraint public.orders.orders_customer_id_fkey",
                        "DW107 extra-column public.orders.status",
                        "DW105 missing-table public.orders"),
                f.stream().map(x -> x.rule().display() + " " + x.object().qualifiedName()).toList());
        assertEquals(null, f.get(0).expected());
        assertEquals("CREATE INDEX orders_note_idx ON public.orders USING btree (note)", f.get(0).actual());
        assertEquals("CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customers(id)",
                f.get(1).expected());
        assertEquals("foreign key constraint public.orders.orders_customer_id_fkey is created by the migrations "
                + "but missing from the database", f.get(1).message());
    }

    @Test
    void orderIsSeverityThenObject() {
        Finding warnA = new Finding(Rule.DW101, Severity.WARNING, ObjectRef.of(io.driftwatch.model.ObjectKind.TABLE, "a", "t"), null, null, "");
        Finding errB = new Finding(Rule.DW105, Severity.ERROR, ObjectRef.of(io.driftwatch.model.ObjectKind.TABLE, "b", "t"), null, null, "");
        Finding info = new Finding(Rule.DW203, Severity.INFO, ObjectRef.migration("V9"), null, null, "");
        List<Finding> l = new ArrayList<>(List.of(info, warnA, errB));
        l.sort(Classifier.ORDER);
        assertEquals(List.of(errB, warnA, info), l);
    }
}
