package io.driftwatch.postgres.shadow;

import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.Identifiers;
import io.driftwatch.model.SchemaModel;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Roles for shadow databases. Roles are cluster-wide, so a migration that GRANTs to a role or gives
 * an object to one ({@code OWNER TO}) fails to replay on a server where the role does not exist.
 * On a server Driftwatch started itself (local, embedded, Docker) the roles the target has are
 * created first, as {@code NOLOGIN} roles with no other attribute; on a server given by URL
 * nothing is ever created: a failure only gets a hint ({@link #hint}).
 *
 * <p>PostgreSQL docs: CREATE ROLE; Database Roles ("roles are global across a database cluster").
 */
public final class ShadowRoles {

    private static final Pattern MISSING_ROLE = Pattern.compile("role \"((?:[^\"]|\"\")*)\" does not exist");

    private ShadowRoles() {
    }

    /**
     * Reads the target's role names (read-only): every role but the built-in {@code pg_*} ones and
     * the bootstrap superuser (oid 10).
     *
     * @param target an open connection to the audited database
     * @return role names, sorted
     * @throws SQLException when the server refuses the query
     */
    public static List<String> read(Connection target) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = target.createStatement();
             ResultSet rs = s.executeQuery("SELECT rolname::text FROM pg_catalog.pg_roles"
                     + " WHERE rolname !~ '^pg_' AND oid <> 10 ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /**
     * @param models models whose owners, grantees and other role attributes are collected
     * @return role names the models mention (not {@code PUBLIC}), sorted
     */
    public static List<String> referencedBy(SchemaModel... models) {
        TreeSet<String> out = new TreeSet<>();
        for (SchemaModel m : models) {
            for (CatalogObject o : m.objects()) {
                for (Map.Entry<String, String> a : o.attributes().entrySet()) {
                    String k = a.getKey();
                    if (k.equals("owner") || k.equals("grantee") || k.endsWith("_role")) {
                        out.add(a.getValue());
                    } else if (k.equals("roles")) {
                        out.addAll(List.of(a.getValue().split(", ")));
                    }
                }
            }
        }
        out.remove("PUBLIC");
        out.remove("public");
        return List.copyOf(out);
    }

    /**
     * Creates the roles that are missing on a server Driftwatch started ({@code NOLOGIN}, nothing
     * else; existing roles are left alone). Does nothing on a server given by URL
     * ({@code provider() == "url"}): Driftwatch never creates roles there.
     *
     * @param server the shadow server
     * @param roles  role names; {@code pg_*} names and {@code PUBLIC} are skipped
     * @param note   receives one line when roles are created
     * @return how many roles were asked for (0 on a URL server)
     * @throws SQLException when the server refuses
     */
    public static int ensure(ShadowServer server, Collection<String> roles, Consumer<String> note) throws SQLException {
        if ("url".equals(server.provider())) {
            return 0;
        }
        List<String> wanted = roles.stream().filter(r -> r != null && !r.isEmpty() && !r.startsWith("pg_")
                && !r.equalsIgnoreCase("public")).distinct().sorted().toList();
        if (wanted.isEmpty()) {
            return 0;
        }
        StringBuilder array = new StringBuilder("ARRAY[");
        for (int i = 0; i < wanted.size(); i++) {
            array.append(i == 0 ? "" : ", ").append(Identifiers.literal(wanted.get(i)));
        }
        array.append("]::text[]");
        String body = "DECLARE r text; BEGIN FOREACH r IN ARRAY " + array
                + " LOOP IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r) THEN"
                + " EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r); END IF; END LOOP; END";
        String tag = "$dw_roles$";
        for (int i = 1; body.contains(tag); i++) {
            tag = "$dw_roles_" + i + "$";
        }
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DO " + tag + body + tag);
        }
        note.accept("shadow: " + wanted.size() + " role(s) of the target made available as NOLOGIN roles");
        return wanted.size();
    }

    /**
     * @param message a replay failure message
     * @return a hint for a missing role ({@code ; role X does not exist in the shadow server: create it
     *         there or use --shadow local}), or the empty string when the message is about something else
     */
    public static String hint(String message) {
        if (message == null) {
            return "";
        }
        Matcher m = MISSING_ROLE.matcher(message);
        if (!m.find()) {
            return "";
        }
        return "; role " + m.group(1).replace("\"\"", "\"")
                + " does not exist in the shadow server: create it there or use --shadow local";
    }
}
