-- Privileges (GRANT) in the schemas given as text[] parameter 1, read only with --with-privileges,
-- as generic catalog objects (see PostgresCatalogReader): kind PRIVILEGE, one row per (object,
-- grantee); object_name NULL and name_suffix 'to <grantee>', so the name is e.g.
-- "table public.t to app"; target_* name the object. Objects: schemas (nspacl); tables,
-- partitioned tables, views, materialized views, sequences (relacl); columns (attacl); functions,
-- procedures, aggregates (proacl); enum, domain, composite and range types (typacl).
-- Attributes: grantee (role name, PUBLIC for grantee 0; role-mapped), privileges (sorted privilege
-- names, each followed by " (grantable)" when held WITH GRANT OPTION, e.g.
-- "INSERT, SELECT (grantable)"), routine_name (for a routine target: its bare name, so a name
-- holding a parenthesis splits right from its arguments).
-- A NULL acl means the kind's default (acldefault): PUBLIC's default EXECUTE on routines and USAGE
-- on types are therefore read on both sides alike. The owner's own privileges are left out (the
-- owner differs between environments and is compared by --with-owners), as are grantors.
-- Extension members, identity and OWNED BY sequences' implicit parts are not special: sequences
-- are those sequences.sql models (no identity sequences).
-- PostgreSQL docs: GRANT; Privileges (5.7, ACL abbreviations, acldefault); aclexplode.
WITH ext AS (
    SELECT d.classid, d.objid FROM pg_catalog.pg_depend d WHERE d.deptype = 'e'
), acls (owner_oid, acl, target_kind, target_schema, target_parent, target_name, routine_name) AS (
    SELECT n.nspowner, COALESCE(n.nspacl, pg_catalog.acldefault('n', n.nspowner)), 'SCHEMA', NULL::text, NULL::text,
           n.nspname::text, NULL::text
    FROM pg_catalog.pg_namespace n
    WHERE n.nspname = ANY (?::text[])
    UNION ALL
    SELECT c.relowner, COALESCE(c.relacl, pg_catalog.acldefault(CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END::"char", c.relowner)),
           CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED_VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
           n.nspname::text, NULL, c.relname::text, NULL
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S')
      AND n.nspname = ANY (?::text[])
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                      WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid
                        AND d.deptype IN ('e', 'i'))
    UNION ALL
    SELECT c.relowner, a.attacl, 'COLUMN', n.nspname::text, c.relname::text, a.attname::text, NULL
    FROM pg_catalog.pg_attribute a
    JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm')
      AND a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL
      AND n.nspname = ANY (?::text[])
      AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND ext.objid = c.oid)
    UNION ALL
    SELECT p.proowner, COALESCE(p.proacl, pg_catalog.acldefault('f', p.proowner)),
           CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,
           n.nspname::text, NULL, p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')',
           p.proname::text
    FROM pg_catalog.pg_proc p
    JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
    WHERE p.prokind IN ('f', 'p', 'a')
      AND n.nspname = ANY (?::text[])
      AND p.oid >= 16384
      -- not extension members, nor functions internal to another object (range and multirange
      -- type constructors, pg_depend deptype 'i'), as routines.sql
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                      WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid
                        AND d.deptype IN ('e', 'i'))
    UNION ALL
    SELECT t.typowner, COALESCE(t.typacl, pg_catalog.acldefault('T', t.typowner)),
           CASE t.typtype WHEN 'e' THEN 'ENUM' WHEN 'd' THEN 'DOMAIN' WHEN 'r' THEN 'RANGE_TYPE' ELSE 'COMPOSITE_TYPE' END,
           n.nspname::text, NULL, t.typname::text, NULL
    FROM pg_catalog.pg_type t
    JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
    WHERE (t.typtype IN ('e', 'd', 'r')
           OR (t.typtype = 'c' AND (SELECT rc.relkind FROM pg_catalog.pg_class rc WHERE rc.oid = t.typrelid) = 'c'))
      AND n.nspname = ANY (?::text[])
      AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND ext.objid = t.oid)
), items AS (
    SELECT a.target_kind, a.target_schema, a.target_parent, a.target_name, a.routine_name, x.grantee,
           x.privilege_type, pg_catalog.bool_or(x.is_grantable) AS grantable
    FROM acls a
    CROSS JOIN LATERAL pg_catalog.aclexplode(a.acl) x
    WHERE x.grantee <> a.owner_oid
    GROUP BY 1, 2, 3, 4, 5, 6, 7
)
SELECT 'PRIVILEGE'                                             AS object_kind,
       COALESCE(i.target_schema, CASE WHEN i.target_kind = 'SCHEMA' THEN i.target_name END) AS schema_name,
       NULL::text                                              AS object_name,
       i.target_kind                                           AS target_kind,
       i.target_schema                                         AS target_schema,
       i.target_parent                                         AS target_parent,
       i.target_name                                           AS target_name,
       'to ' || g.grantee                                      AS name_suffix,
       g.grantee                                               AS grantee,
       i.routine_name                                          AS routine_name,
       pg_catalog.string_agg(i.privilege_type || CASE WHEN i.grantable THEN ' (grantable)' ELSE '' END, ', '
                             ORDER BY i.privilege_type)        AS privileges
FROM items i
CROSS JOIN LATERAL (SELECT CASE WHEN i.grantee = 0 THEN 'PUBLIC'
                                ELSE (SELECT r.rolname::text FROM pg_catalog.pg_roles r WHERE r.oid = i.grantee) END
                           AS grantee) g
GROUP BY i.target_kind, i.target_schema, i.target_parent, i.target_name, i.routine_name, g.grantee
ORDER BY 2, 5, 6, 7, 4, g.grantee
