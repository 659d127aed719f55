package io.driftwatch.source;

import io.driftwatch.model.SchemaFilter;
import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.SchemaModel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A snapshot is filtered the way a live read is: privileges and owners only when asked for, and
 * roles renamed by {@code --role-map} in attributes and in names.
 */
class ModelFilterTest {

    private static final ObjectRef TABLE = ObjectRef.of(ObjectKind.TABLE, "public", "orders");

    private static SchemaModel snapshotOfProduction() {
        CatalogObject grant = new CatalogObject(new ObjectRef(ObjectKind.PRIVILEGE, "public", null,
                "table public.orders to prod_app"), Map.of("grantee", "prod_app", "privileges", "SELECT"), TABLE);
        CatalogObject owner = new CatalogObject(new ObjectRef(ObjectKind.OWNER, "public", null, "table public.orders"),
                Map.of("owner", "prod_owner"), TABLE);
        CatalogObject policy = new CatalogObject(ObjectRef.child(ObjectKind.POLICY, "public", "orders", "mine"),
                Map.of("roles", "prod_app, auditor", "command", "SELECT"));
        return new SchemaModel("15.18", List.of("public"), List.of(), List.of(), List.of(), List.of(),
                List.of(grant, owner, policy), List.of());
    }

    @Test
    void rolesAreRenamedAsALiveReadRenamesThem() {
        SchemaFilter filter = SchemaFilter.all().withAccess(true, true, Map.of("prod_app", "app", "prod_owner", "owner"));
        SchemaModel m = ModelFilter.apply(snapshotOfProduction(), filter);
        assertEquals(List.of("policy public.orders.mine", "owner of table public.orders", "privileges on table public.orders to app"),
                m.objects().stream().map(o -> o.ref().toString()).toList());
        assertEquals("app", m.objects(ObjectKind.PRIVILEGE).get(0).attr("grantee"));
        assertEquals("owner", m.objects(ObjectKind.OWNER).get(0).attr("owner"));
        assertEquals("app, auditor", m.objects(ObjectKind.POLICY).get(0).attr("roles"));
    }

    @Test
    void privilegesAndOwnersStayOutUnlessAskedFor() {
        SchemaModel m = ModelFilter.apply(snapshotOfProduction(), SchemaFilter.all());
        assertEquals(List.of(ObjectKind.POLICY), m.objects().stream().map(CatalogObject::kind).toList());
        assertEquals("prod_app, auditor", m.objects().get(0).attr("roles"), "no role map: names as stored");
    }
}
