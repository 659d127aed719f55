-- Owners, read only with --with-owners, as generic catalog objects (see PostgresCatalogReader):
-- kind OWNER, object_name NULL so the name is the owned object's display text (e.g.
-- "table public.t"); target_* name that object. Objects: schemas given as text[] parameter 1 and,
-- in them, tables, partitioned tables, views, materialized views, sequences (not identity
-- sequences, not sequences OWNED BY a column: those follow their table), enum, domain, composite
-- and range types, functions, procedures, aggregates, collations; event triggers (database-wide).
-- Extensions are left out (their owner is whoever created them; ALTER EXTENSION has no OWNER TO).
-- Attributes: owner (role name; role-mapped), routine_name (for a routine target: its bare name,
-- so a name holding a parenthesis splits right from its arguments).
-- PostgreSQL docs: ALTER TABLE / VIEW / SEQUENCE / TYPE / DOMAIN / FUNCTION ... OWNER TO.
WITH ext AS (
    SELECT d.classid, d.objid FROM pg_catalog.pg_depend d WHERE d.deptype = 'e'
), owned (owner_oid, target_kind, target_schema, target_name, routine_name) AS (
    SELECT n.nspowner, 'SCHEMA', NULL::text, n.nspname::text, NULL::text
    FROM pg_catalog.pg_namespace n
    WHERE n.nspname = ANY (?::text[])
    UNION ALL
    SELECT c.relowner,
           CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED_VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
           n.nspname::text, c.relname::text, NULL
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S')
      AND n.nspname = ANY (?::text[])
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                      WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid
                        AND (d.deptype IN ('e', 'i')
                             OR (c.relkind = 'S' AND d.deptype = 'a'
                                 AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjsubid > 0)))
    UNION ALL
    SELECT t.typowner,
           CASE t.typtype WHEN 'e' THEN 'ENUM' WHEN 'd' THEN 'DOMAIN' WHEN 'r' THEN 'RANGE_TYPE' ELSE 'COMPOSITE_TYPE' END,
           n.nspname::text, t.typname::text, NULL
    FROM pg_catalog.pg_type t
    JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
    WHERE (t.typtype IN ('e', 'd', 'r')
           OR (t.typtype = 'c' AND (SELECT rc.relkind FROM pg_catalog.pg_class rc WHERE rc.oid = t.typrelid) = 'c'))
      AND n.nspname = ANY (?::text[])
      AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND ext.objid = t.oid)
    UNION ALL
    SELECT p.proowner, CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,
           n.nspname::text, p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')',
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
    SELECT co.collowner, 'COLLATION', n.nspname::text, co.collname::text, NULL
    FROM pg_catalog.pg_collation co
    JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace
    WHERE co.oid >= 16384
      AND n.nspname = ANY (?::text[])
      AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_collation'::pg_catalog.regclass AND ext.objid = co.oid)
    UNION ALL
    SELECT et.evtowner, 'EVENT_TRIGGER', NULL, et.evtname::text, NULL
    FROM pg_catalog.pg_event_trigger et
    WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_event_trigger'::pg_catalog.regclass
                                          AND ext.objid = et.oid)
)
SELECT 'OWNER'                                                 AS object_kind,
       COALESCE(o.target_schema, CASE WHEN o.target_kind = 'SCHEMA' THEN o.target_name END) AS schema_name,
       NULL::text                                              AS object_name,
       o.target_kind                                           AS target_kind,
       o.target_schema                                         AS target_schema,
       NULL::text                                              AS target_parent,
       o.target_name                                           AS target_name,
       o.routine_name                                          AS routine_name,
       (SELECT r.rolname::text FROM pg_catalog.pg_roles r WHERE r.oid = o.owner_oid) AS owner
FROM owned o
ORDER BY 2, 5, 7, 4
