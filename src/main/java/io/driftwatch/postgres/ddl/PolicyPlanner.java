package io.driftwatch.postgres.ddl;

import io.driftwatch.plan.Hazard;
import io.driftwatch.plan.HazardType;
import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.Identifiers;
import io.driftwatch.model.ObjectRef;

import java.util.ArrayList;
import java.util.List;

import static io.driftwatch.postgres.ddl.PgDdl.exec;
import static io.driftwatch.postgres.ddl.PgDdl.guarded;
import static io.driftwatch.postgres.ddl.PgDdl.lit;

/**
 * Row level security policies ({@link io.driftwatch.model.ObjectKind#POLICY} catalog objects, parent =
 * the table; attributes as read by {@code policies.sql}: {@code command}, {@code permissive},
 * {@code roles}, {@code using}, {@code with_check}). PostgreSQL docs, CREATE POLICY, ALTER POLICY,
 * DROP POLICY.
 *
 * <ul>
 *   <li>create: {@code CREATE POLICY name ON table AS PERMISSIVE|RESTRICTIVE FOR cmd TO roles
 *       [USING (..)] [WITH CHECK (..)]}, guarded by the policy's absence, in phase
 *       {@link Phase#POLICIES} (after tables, columns and the functions the expressions call);</li>
 *   <li>drop: {@code DROP POLICY IF EXISTS name ON table}, guarded by the table's existence, in the
 *       early-drop phase {@link Phase#DROP_TRIGGERS} (before the columns it reads go);</li>
 *   <li>modify: one block guarded by "the catalog does not hold exactly the wanted policy":
 *       {@code ALTER POLICY ... TO roles [USING (..)] [WITH CHECK (..)]} when only roles or
 *       expressions change and no expression is removed (ALTER POLICY cannot remove one), else drop
 *       and create (command or permissive/restrictive cannot be altered).</li>
 * </ul>
 */
final class PolicyPlanner implements ObjectPlanner {

    @Override
    public void create(CatalogObject o, Emitter e) {
        e.add(Phase.POLICIES, 0, guarded("NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy WHERE polrelid = "
                        + table(o.ref()) + " AND polname = " + lit(o.ref().name()) + ")", List.of(exec(createSql(o)))),
                o.ref(), List.of(), true, false, "create missing policy " + o.ref().qualifiedName());
    }

    @Override
    public void drop(CatalogObject o, Emitter e) {
        e.add(Phase.DROP_TRIGGERS, 0, guarded(table(o.ref()) + " IS NOT NULL", List.of(exec("DROP POLICY IF EXISTS "
                        + PgDdl.id(o.ref().name()) + " ON " + tableName(o.ref())))),
                o.ref(), List.of(new Hazard(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, "drops policy "
                        + o.ref().qualifiedName() + "; rows it let through may become invisible (or visible)")),
                true, false, "drop extra policy " + o.ref().qualifiedName());
    }

    @Override
    public void modify(CatalogObject from, CatalogObject to, List<String> changed, Emitter e) {
        boolean recreate = changed.contains("command") || changed.contains("permissive")
                || (from.attr("using") != null && to.attr("using") == null)
                || (from.attr("with_check") != null && to.attr("with_check") == null);
        List<String> body = new ArrayList<>();
        String what;
        if (recreate) {
            body.add(exec("DROP POLICY IF EXISTS " + PgDdl.id(to.ref().name()) + " ON " + tableName(to.ref())));
            body.add(exec(createSql(to)));
            what = "drop and create policy ";
        } else {
            StringBuilder b = new StringBuilder("ALTER POLICY ").append(PgDdl.id(to.ref().name())).append(" ON ")
                    .append(tableName(to.ref())).append(" TO ").append(roles(to));
            if (to.attr("using") != null) {
                b.append(" USING (").append(to.attr("using")).append(')');
            }
            if (to.attr("with_check") != null) {
                b.append(" WITH CHECK (").append(to.attr("with_check")).append(')');
            }
            body.add(exec(b.toString()));
            what = "alter policy ";
        }
        e.add(Phase.POLICIES, 0, guarded("NOT " + matches(to), body), to.ref(),
                List.of(new Hazard(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, "changes which rows policy "
                        + to.ref().qualifiedName() + " lets through")),
                true, false, what + to.ref().qualifiedName() + " (" + String.join(", ", changed) + ")");
    }

    /** @return {@code CREATE POLICY ...} (no semicolon) from the attributes */
    static String createSql(CatalogObject o) {
        StringBuilder b = new StringBuilder("CREATE POLICY ").append(PgDdl.id(o.ref().name())).append(" ON ")
                .append(tableName(o.ref()))
                .append("false".equals(o.attr("permissive")) ? " AS RESTRICTIVE" : " AS PERMISSIVE")
                .append(" FOR ").append(o.attr("command") == null ? "ALL" : o.attr("command"))
                .append(" TO ").append(roles(o));
        if (o.attr("using") != null) {
            b.append(" USING (").append(o.attr("using")).append(')');
        }
        if (o.attr("with_check") != null) {
            b.append(" WITH CHECK (").append(o.attr("with_check")).append(')');
        }
        return b.toString();
    }

    /**
     * @return condition: the table has this policy with exactly these attributes (roles compared as
     *         the reader renders them; expressions deparsed under {@code search_path = pg_catalog},
     *         which {@link PgDdl#guarded} pins)
     */
    static String matches(CatalogObject o) {
        String cmd = switch (o.attr("command") == null ? "ALL" : o.attr("command")) {
            case "SELECT" -> "r";
            case "INSERT" -> "a";
            case "UPDATE" -> "w";
            case "DELETE" -> "d";
            default -> "*";
        };
        return "EXISTS (SELECT 1 FROM pg_catalog.pg_policy p WHERE p.polrelid = " + table(o.ref())
                + " AND p.polname = " + lit(o.ref().name())
                + " AND p.polcmd = " + lit(cmd)
                + " AND p.polpermissive = " + ("false".equals(o.attr("permissive")) ? "false" : "true")
                + " AND (SELECT pg_catalog.string_agg(r.role_name, ', ' ORDER BY r.role_name COLLATE \"C\")"
                + " FROM (SELECT CASE WHEN pr.oid = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(pr.oid)::text END"
                + " AS role_name FROM pg_catalog.unnest(p.polroles) AS pr(oid)) r) IS NOT DISTINCT FROM "
                + nullable(o.attr("roles"))
                + " AND pg_catalog.pg_get_expr(p.polqual, p.polrelid) IS NOT DISTINCT FROM " + nullable(o.attr("using"))
                + " AND pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) IS NOT DISTINCT FROM "
                + nullable(o.attr("with_check")) + ")";
    }

    private static String nullable(String value) {
        return value == null ? "NULL" : lit(value);
    }

    /** @return the {@code TO} list: {@code PUBLIC} as the keyword, other roles quoted as needed */
    static String roles(CatalogObject o) {
        String roles = o.attr("roles");
        if (roles == null || roles.isBlank()) {
            return "PUBLIC";
        }
        List<String> out = new ArrayList<>();
        for (String r : roles.split(", ")) {
            out.add(r.equals("PUBLIC") ? "PUBLIC" : Identifiers.quoteIfNeeded(r));
        }
        return String.join(", ", out);
    }

    private static String tableName(ObjectRef ref) {
        return Identifiers.qualified(ref.schema(), ref.parent());
    }

    private static String table(ObjectRef ref) {
        return "pg_catalog.to_regclass(" + lit(tableName(ref)) + ")";
    }
}
