package io.driftwatch.postgres.shadow;

import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowKind;
import io.driftwatch.dialect.ShadowOptions;
import io.driftwatch.postgres.ConnectionSpec;
import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ShadowRoles}: roles are created on servers Driftwatch started, never on a server given by
 * URL; a replay failure about a missing role gets a hint. Roles are cluster-wide and the test
 * server shared: the names are unique to this test and never dropped.
 */
class ShadowRolesTest {

    @Test
    void hintNamesTheMissingRole() {
        assertEquals("; role app \"x\" does not exist in the shadow server: create it there or use --shadow local",
                ShadowRoles.hint("V3__grant.sql failed to replay: ERROR: role \"app \"\"x\"\"\" does not exist "
                        + "(SQLState 42704)"));
        assertEquals("", ShadowRoles.hint("V3__x.sql failed to replay: ERROR: relation \"t\" does not exist"));
        assertEquals("", ShadowRoles.hint(null));
    }

    @Test
    void referencedRolesComeFromOwnersGranteesAndRoleAttributes() {
        SchemaModel m = new SchemaModel("15", List.of(), List.of(), List.of(), List.of(), List.of(), List.of(
                new CatalogObject(new ObjectRef(ObjectKind.OWNER, "s", null, "table s.t"), Map.of("owner", "o1"),
                        ObjectRef.of(ObjectKind.TABLE, "s", "t")),
                new CatalogObject(new ObjectRef(ObjectKind.PRIVILEGE, "s", null, "table s.t to PUBLIC"),
                        Map.of("grantee", "PUBLIC", "privileges", "SELECT"), ObjectRef.of(ObjectKind.TABLE, "s", "t")),
                new CatalogObject(new ObjectRef(ObjectKind.DEFAULT_PRIVILEGE, null, null, "tables for d1 to g1"),
                        Map.of("for_role", "d1", "grantee", "g1")),
                new CatalogObject(new ObjectRef(ObjectKind.POLICY, "s", "t", "p"), Map.of("roles", "r1, r2"))), List.of());
        assertEquals(List.of("d1", "g1", "o1", "r1", "r2"), ShadowRoles.referencedBy(m));
    }

    @Test
    void rolesAreCreatedOnStartedServersOnly() throws Exception {
        ShadowServer server = TestPostgres.server();
        String hostile = "dw shadow \"role\" ü";
        String url = "dw_shadow_url_only_role";
        ConnectionSpec spec = ConnectionSpec.parse(server.jdbcUrl("postgres"), server.user(), server.password(), Map.of());
        try (ShadowServer byUrl = ShadowProviders.open(new ShadowOptions(ShadowKind.URL, spec, null, null), line -> { })) {
            assertEquals(0, ShadowRoles.ensure(byUrl, List.of(url), line -> { }), "never on a server given by URL");
            assertFalse(exists(server, url));
        }
        if ("url".equals(server.provider())) {
            return; // the suite itself runs on a server given by URL: nothing more may be created
        }
        List<String> notes = new ArrayList<>();
        assertEquals(2, ShadowRoles.ensure(server, List.of(hostile, "dw_shadow_plain", "pg_monitor", "PUBLIC"),
                notes::add));
        assertTrue(exists(server, hostile) && exists(server, "dw_shadow_plain"));
        assertEquals(2, ShadowRoles.ensure(server, List.of(hostile, "dw_shadow_plain"), notes::add), "twice is fine");
        assertTrue(notes.get(0).contains("NOLOGIN"), notes.toString());
        try (Connection c = server.connect("postgres");
             PreparedStatement ps = c.prepareStatement("SELECT rolcanlogin, rolsuper FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, hostile);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertFalse(rs.getBoolean(1) || rs.getBoolean(2), "NOLOGIN, no superuser");
            }
            List<String> live = ShadowRoles.read(c);
            assertTrue(live.contains(hostile), live.toString());
            assertFalse(live.stream().anyMatch(r -> r.startsWith("pg_")), live.toString());
            assertFalse(live.contains(server.user()), "not the bootstrap superuser: " + live);
        }
    }

    private static boolean exists(ShadowServer server, String role) throws Exception {
        try (Connection c = server.connect("postgres");
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
