-- Default privileges (ALTER DEFAULT PRIVILEGES, pg_default_acl) read only with --with-privileges, as
-- generic catalog objects (see PostgresCatalogReader): kind DEFAULT_PRIVILEGE, one row per
-- (creating role, schema or all schemas, object type, grantee). Entries IN SCHEMA s are kept for the
-- schemas given as text[] parameter 1; database-wide entries (defaclnamespace 0) always.
-- Name: "<object type> [in <schema>]" plus name_suffix "for <role> to <grantee>", e.g.
-- "tables in public for app to ro" (the role words are role-mapped).
-- Attributes: object_type (TABLES, SEQUENCES, FUNCTIONS, TYPES or SCHEMAS), in_schema (null for
-- all schemas), for_role and grantee (role-mapped; PUBLIC for grantee 0), privileges (as in
-- privileges.sql; "(none)" when a database-wide entry takes away a default privilege, e.g.
-- REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC). The creating role's own privileges are left out.
-- A database-wide entry replaces the built-in default (acldefault) while a per-schema entry only
-- adds to it, so a database-wide entry shows only how it differs from acldefault (grants equal to
-- the built-in default, e.g. PUBLIC's EXECUTE on functions, are not rows).
-- PostgreSQL docs: ALTER DEFAULT PRIVILEGES; pg_default_acl; aclexplode, acldefault.
WITH entries AS (
    SELECT da.defaclrole, da.defaclnamespace, da.defaclobjtype, da.defaclacl,
           n.nspname::text AS in_schema,
           CASE da.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES' WHEN 'f' THEN 'FUNCTIONS'
                                 WHEN 'T' THEN 'TYPES' WHEN 'n' THEN 'SCHEMAS' END AS object_type,
           (SELECT r.rolname::text FROM pg_catalog.pg_roles r WHERE r.oid = da.defaclrole) AS for_role
    FROM pg_catalog.pg_default_acl da
    LEFT JOIN pg_catalog.pg_namespace n ON n.oid = da.defaclnamespace
    WHERE da.defaclnamespace = 0 OR n.nspname = ANY (?::text[])
), granted AS (
    -- per entry and grantee: the privileges the entry gives
    SELECT e.defaclrole, e.defaclnamespace, e.defaclobjtype, x.grantee,
           pg_catalog.string_agg(x.privilege_type || CASE WHEN x.grantable THEN ' (grantable)' ELSE '' END, ', '
                                 ORDER BY x.privilege_type) AS privileges
    FROM entries e
    CROSS JOIN LATERAL (SELECT y.grantee, y.privilege_type, pg_catalog.bool_or(y.is_grantable) AS grantable
                        FROM pg_catalog.aclexplode(e.defaclacl) y
                        GROUP BY 1, 2) x
    WHERE x.grantee <> e.defaclrole
    GROUP BY 1, 2, 3, 4
), builtin AS (
    -- per database-wide entry and grantee: the built-in default it replaces (only PUBLIC has one)
    SELECT e.defaclrole, e.defaclnamespace, e.defaclobjtype, x.grantee,
           pg_catalog.string_agg(x.privilege_type || CASE WHEN x.is_grantable THEN ' (grantable)' ELSE '' END, ', '
                                 ORDER BY x.privilege_type) AS privileges
    FROM entries e
    CROSS JOIN LATERAL pg_catalog.aclexplode(pg_catalog.acldefault(
            CASE e.defaclobjtype WHEN 'S' THEN 's' ELSE e.defaclobjtype END::"char", e.defaclrole)) x
    WHERE e.defaclnamespace = 0
      AND x.grantee <> e.defaclrole
    GROUP BY 1, 2, 3, 4
), rows AS (
    -- what differs from the built-in default: extra grants, and "(none)" where a default is taken away
    SELECT e.in_schema, e.object_type, e.for_role, COALESCE(g.grantee, b.grantee) AS grantee,
           COALESCE(g.privileges, '(none)') AS privileges
    FROM granted g
    FULL JOIN builtin b USING (defaclrole, defaclnamespace, defaclobjtype, grantee)
    JOIN entries e ON e.defaclrole = COALESCE(g.defaclrole, b.defaclrole)
                  AND e.defaclnamespace = COALESCE(g.defaclnamespace, b.defaclnamespace)
                  AND e.defaclobjtype = COALESCE(g.defaclobjtype, b.defaclobjtype)
    WHERE g.privileges IS DISTINCT FROM b.privileges
)
SELECT 'DEFAULT_PRIVILEGE'                                     AS object_kind,
       r.in_schema                                             AS schema_name,
       pg_catalog.lower(r.object_type) || COALESCE(' in ' || pg_catalog.quote_ident(r.in_schema), '') AS object_name,
       'for ' || r.for_role || ' to ' || g.grantee             AS name_suffix,
       r.object_type                                           AS object_type,
       r.in_schema                                             AS in_schema,
       r.for_role                                              AS for_role,
       g.grantee                                               AS grantee,
       r.privileges                                            AS privileges
FROM rows r
CROSS JOIN LATERAL (SELECT CASE WHEN r.grantee = 0 THEN 'PUBLIC'
                                ELSE (SELECT ro.rolname::text FROM pg_catalog.pg_roles ro WHERE ro.oid = r.grantee) END
                           AS grantee) g
ORDER BY 2 NULLS FIRST, 3, 7, 8
