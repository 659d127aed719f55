package io.driftwatch.postgres.ddl;

import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.Identifiers;
import io.driftwatch.model.ObjectRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * SQL text naming the object a comment, privilege or owner is attached to (its
 * {@link io.driftwatch.model.CatalogObject#target()}), for the {@link CommentPlanner},
 * {@link PrivilegePlanner}, {@link DefaultPrivilegePlanner} and {@link OwnerPlanner}. Pure string
 * building; every identifier is quoted with {@link Identifiers}.
 *
 * <p>Sources: PostgreSQL docs, COMMENT (object kinds and their syntax), GRANT (object kinds
 * {@code TABLE}, {@code SEQUENCE}, {@code SCHEMA}, {@code ROUTINE}, {@code TYPE}, {@code DOMAIN};
 * column lists), ALTER ... OWNER TO of each kind.
 */
final class AccessDdl {

    private AccessDdl() {
    }

    /**
     * @param o an attached object (comment, privilege, owner); its target is named
     * @return the part after {@code COMMENT ON}, e.g. {@code COLUMN public.t.c},
     *         {@code CONSTRAINT ck ON public.t}, {@code FUNCTION public.f(a integer)}
     * @throws IllegalArgumentException for a kind that takes no comment
     */
    static String commentTarget(CatalogObject o) {
        ObjectRef t = o.target();
        return switch (t.kind()) {
            case SCHEMA -> "SCHEMA " + id(t.name());
            case TABLE -> "TABLE " + PgDdl.rel(t);
            case VIEW -> "VIEW " + PgDdl.rel(t);
            case MATERIALIZED_VIEW -> "MATERIALIZED VIEW " + PgDdl.rel(t);
            case SEQUENCE -> "SEQUENCE " + PgDdl.rel(t);
            case INDEX -> "INDEX " + PgDdl.rel(t);
            case COLUMN -> "COLUMN " + Identifiers.qualified(t.schema(), t.parent()) + "." + id(t.name());
            case CONSTRAINT -> "CONSTRAINT " + id(t.name()) + " ON " + Identifiers.qualified(t.schema(), t.parent());
            case TRIGGER -> "TRIGGER " + id(t.name()) + " ON " + Identifiers.qualified(t.schema(), t.parent());
            case POLICY -> "POLICY " + id(t.name()) + " ON " + Identifiers.qualified(t.schema(), t.parent());
            case ENUM, COMPOSITE_TYPE, RANGE_TYPE -> "TYPE " + PgDdl.rel(t);
            case DOMAIN -> "DOMAIN " + PgDdl.rel(t);
            case FUNCTION, PROCEDURE, AGGREGATE -> t.kind().name() + " " + routine(o);
            case COLLATION -> "COLLATION " + PgDdl.rel(t);
            case EXTENSION -> "EXTENSION " + id(t.name());
            case EVENT_TRIGGER -> "EVENT TRIGGER " + id(t.name());
            default -> throw new IllegalArgumentException("no COMMENT ON for " + t);
        };
    }

    /**
     * @param o an attached object; its target (for a column: the column, the table is its parent)
     * @return the {@code ON ...} object of GRANT/REVOKE, e.g. {@code TABLE public.t},
     *         {@code ROUTINE public.f(integer)}; for a column its table
     * @throws IllegalArgumentException for a kind that takes no privileges
     */
    static String grantTarget(CatalogObject o) {
        ObjectRef t = o.target();
        return switch (t.kind()) {
            case SCHEMA -> "SCHEMA " + id(t.name());
            case TABLE, VIEW, MATERIALIZED_VIEW -> "TABLE " + PgDdl.rel(t);
            case COLUMN -> "TABLE " + Identifiers.qualified(t.schema(), t.parent());
            case SEQUENCE -> "SEQUENCE " + PgDdl.rel(t);
            case FUNCTION, PROCEDURE, AGGREGATE -> "ROUTINE " + routine(o);
            case ENUM, COMPOSITE_TYPE, RANGE_TYPE -> "TYPE " + PgDdl.rel(t);
            case DOMAIN -> "DOMAIN " + PgDdl.rel(t);
            default -> throw new IllegalArgumentException("no GRANT on " + t);
        };
    }

    /**
     * @param o an attached object (comment, privilege, owner); its target is named
     * @return the {@code ALTER <kind> <name>} prefix of {@code OWNER TO}, e.g.
     *         {@code ALTER MATERIALIZED VIEW public.mv}
     * @throws IllegalArgumentException for a kind without an owner Driftwatch changes
     */
    static String alterTarget(CatalogObject o) {
        ObjectRef t = o.target();
        return "ALTER " + switch (t.kind()) {
            case SCHEMA -> "SCHEMA " + id(t.name());
            case TABLE -> "TABLE " + PgDdl.rel(t);
            case VIEW -> "VIEW " + PgDdl.rel(t);
            case MATERIALIZED_VIEW -> "MATERIALIZED VIEW " + PgDdl.rel(t);
            case SEQUENCE -> "SEQUENCE " + PgDdl.rel(t);
            case ENUM, COMPOSITE_TYPE, RANGE_TYPE -> "TYPE " + PgDdl.rel(t);
            case DOMAIN -> "DOMAIN " + PgDdl.rel(t);
            case FUNCTION, PROCEDURE, AGGREGATE -> t.kind().name() + " " + routine(o);
            case COLLATION -> "COLLATION " + PgDdl.rel(t);
            case EVENT_TRIGGER -> "EVENT TRIGGER " + id(t.name());
            default -> throw new IllegalArgumentException("no ALTER ... OWNER TO for " + t);
        };
    }

    /**
     * A SQL condition (evaluated with {@code search_path = pg_catalog}) that holds while the target
     * exists, looked up exactly as the catalog reader names it, so guarded statements are skipped
     * once the object is gone.
     *
     * @param o an attached object (comment, privilege, owner); its target is named
     * @return e.g. {@code pg_catalog.to_regclass('public.t') IS NOT NULL}
     */
    static String exists(CatalogObject o) {
        ObjectRef t = o.target();
        return switch (t.kind()) {
            case SCHEMA -> "EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = " + PgDdl.lit(t.name()) + ")";
            case TABLE, VIEW, MATERIALIZED_VIEW, SEQUENCE, INDEX -> PgDdl.regclass(t.schema(), t.name()) + " IS NOT NULL";
            case COLUMN -> "EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = "
                    + PgDdl.regclass(t.schema(), t.parent()) + " AND attname = " + PgDdl.lit(t.name())
                    + " AND attnum > 0 AND NOT attisdropped)";
            case CONSTRAINT -> "EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = "
                    + PgDdl.regclass(t.schema(), t.parent()) + " AND conname = " + PgDdl.lit(t.name()) + ")";
            case TRIGGER -> "EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = "
                    + PgDdl.regclass(t.schema(), t.parent()) + " AND tgname = " + PgDdl.lit(t.name()) + ")";
            case POLICY -> "EXISTS (SELECT 1 FROM pg_catalog.pg_policy WHERE polrelid = "
                    + PgDdl.regclass(t.schema(), t.parent()) + " AND polname = " + PgDdl.lit(t.name()) + ")";
            case ENUM, DOMAIN, COMPOSITE_TYPE, RANGE_TYPE -> "pg_catalog.to_regtype(" + PgDdl.lit(PgDdl.rel(t)) + ") IS NOT NULL";
            case FUNCTION, PROCEDURE, AGGREGATE -> {
                int paren = paren(o);
                yield "EXISTS (SELECT 1 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
                        + " WHERE n.nspname = " + PgDdl.lit(t.schema()) + " AND p.proname = "
                        + PgDdl.lit(t.name().substring(0, paren))
                        + " AND pg_catalog.pg_get_function_identity_arguments(p.oid) = "
                        + PgDdl.lit(t.name().substring(paren + 1, t.name().length() - 1)) + ")";
            }
            case COLLATION -> "pg_catalog.to_regcollation(" + PgDdl.lit(PgDdl.rel(t)) + ") IS NOT NULL";
            case EXTENSION -> "EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = " + PgDdl.lit(t.name()) + ")";
            case EVENT_TRIGGER -> "EXISTS (SELECT 1 FROM pg_catalog.pg_event_trigger WHERE evtname = "
                    + PgDdl.lit(t.name()) + ")";
            default -> throw new IllegalArgumentException("cannot look up " + t);
        };
    }

    /**
     * @param role a role name as read, or {@code PUBLIC}
     * @return the role as it is written in GRANT/REVOKE/OWNER TO: {@code PUBLIC} bare, others quoted as needed
     */
    static String role(String role) {
        return "PUBLIC".equals(role) ? "PUBLIC" : Identifiers.quoteIfNeeded(role);
    }

    /**
     * Parses a {@code privileges} attribute as the catalog queries write it.
     *
     * @param list e.g. {@code INSERT, SELECT (grantable)}; null or {@code (none)} for none
     * @return privilege name → grantable, sorted by name
     */
    static Map<String, Boolean> parsePrivileges(String list) {
        Map<String, Boolean> out = new TreeMap<>();
        if (list == null || list.isBlank() || list.equals("(none)")) {
            return out;
        }
        for (String item : list.split(", ")) {
            boolean grantable = item.endsWith(" (grantable)");
            String name = grantable ? item.substring(0, item.length() - " (grantable)".length()) : item;
            out.merge(name.trim().toUpperCase(Locale.ROOT), grantable, Boolean::logicalOr);
        }
        return out;
    }

    /**
     * The GRANT / REVOKE statements (without {@code GRANT}/{@code REVOKE ... ON x TO/FROM g}
     * framing) that turn {@code have} into {@code want}.
     *
     * @param have privileges held now
     * @param want privileges wanted
     * @return four lists: plain grants, grants with grant option, grant options to revoke,
     *         privileges to revoke
     */
    static List<List<String>> difference(Map<String, Boolean> have, Map<String, Boolean> want) {
        List<String> grant = new ArrayList<>();
        List<String> grantWithOption = new ArrayList<>();
        List<String> revokeOption = new ArrayList<>();
        List<String> revoke = new ArrayList<>();
        want.forEach((p, g) -> {
            Boolean h = have.get(p);
            if (g && !Boolean.TRUE.equals(h)) {
                grantWithOption.add(p);
            } else if (!g && h == null) {
                grant.add(p);
            } else if (!g && h) {
                revokeOption.add(p);
            }
        });
        have.keySet().stream().filter(p -> !want.containsKey(p)).forEach(revoke::add);
        return List.of(grant, grantWithOption, revokeOption, revoke);
    }

    /**
     * Where the argument list of a routine target's name {@code name(args)} starts: after the
     * {@code routine_name} attribute (the bare name, read so that a name holding a parenthesis
     * splits right) when present, else at the first parenthesis.
     */
    private static int paren(CatalogObject o) {
        ObjectRef t = o.target();
        String bare = o.attr("routine_name");
        int paren = bare != null && t.name().startsWith(bare + "(") ? bare.length() : t.name().indexOf('(');
        if (paren <= 0 || !t.name().endsWith(")")) {
            throw new IllegalArgumentException("routine name without arguments: " + t);
        }
        return paren;
    }

    private static String routine(CatalogObject o) {
        ObjectRef t = o.target();
        int paren = paren(o);
        return Identifiers.quoteIfNeeded(t.schema()) + "." + Identifiers.quoteIfNeeded(t.name().substring(0, paren))
                + t.name().substring(paren);
    }


    private static String id(String name) {
        return Identifiers.quoteIfNeeded(name);
    }
}
