-- Comments (COMMENT ON, pg_description) on every kind Driftwatch models, in the schemas given as
-- text[] parameter 1 (schemas themselves, relations, columns, indexes, constraints, types, routines,
-- triggers, policies, collations) or database-wide (extensions, event triggers), as generic catalog
-- objects (see PostgresCatalogReader): kind COMMENT, object_name NULL so the name is the described
-- object's display text (e.g. "column public.t.c"); target_* name that object.
-- The built-in public schema's own comment ('standard public schema', set by initdb) is left out.
-- Attributes: text (the comment); routine_name (for a routine target: its bare name, so a name
-- holding a parenthesis splits right from its arguments). Extension members (pg_depend deptype 'e'), built-in objects and
-- identity sequences are left out; the Flyway version table is dropped by the filter (its target).
-- PostgreSQL docs: COMMENT; System Catalogs, pg_description (objsubid = column number).
WITH ext AS (
    SELECT d.classid, d.objid FROM pg_catalog.pg_depend d WHERE d.deptype = 'e'
), targets (classoid, objoid, objsubid, target_kind, target_schema, target_parent, target_name) AS (
    SELECT 'pg_catalog.pg_namespace'::pg_catalog.regclass, n.oid, 0, 'SCHEMA', NULL::text, NULL::text, n.nspname::text
    FROM pg_catalog.pg_namespace n
    WHERE n.nspname = ANY (?::text[])
    UNION ALL
    -- tables, partitioned tables, views, materialized views, sequences (not identity sequences)
    SELECT 'pg_catalog.pg_class'::pg_catalog.regclass, c.oid, 0,
           CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED_VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
           n.nspname::text, NULL, c.relname::text
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    -- joined in every large branch so the planner starts from the few described objects instead of
    -- enumerating every relation, column, index and constraint (10,000 tables: 250 ms -> ~10 ms)
    JOIN pg_catalog.pg_description dd ON dd.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
                                     AND dd.objoid = c.oid AND dd.objsubid = 0
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S')
      AND n.nspname = ANY (?::text[])
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                      WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid
                        AND d.deptype IN ('e', 'i'))
    UNION ALL
    -- columns of tables, views and materialized views
    SELECT 'pg_catalog.pg_class'::pg_catalog.regclass, c.oid, a.attnum, 'COLUMN', n.nspname::text, c.relname::text,
           a.attname::text
    FROM pg_catalog.pg_attribute a
    JOIN pg_catalog.pg_description dd ON dd.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
                                     AND dd.objoid = a.attrelid AND dd.objsubid = a.attnum
    JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm')
      AND a.attnum > 0 AND NOT a.attisdropped
      AND n.nspname = ANY (?::text[])
      AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND ext.objid = c.oid)
    UNION ALL
    -- indexes of tables and materialized views, except those backing a constraint
    SELECT 'pg_catalog.pg_class'::pg_catalog.regclass, ic.oid, 0, 'INDEX', n.nspname::text, c.relname::text, ic.relname::text
    FROM pg_catalog.pg_index x
    JOIN pg_catalog.pg_description dd ON dd.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
                                     AND dd.objoid = x.indexrelid AND dd.objsubid = 0
    JOIN pg_catalog.pg_class ic ON ic.oid = x.indexrelid
    JOIN pg_catalog.pg_class c ON c.oid = x.indrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'm')
      AND n.nspname = ANY (?::text[])
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con
                      WHERE con.conindid = x.indexrelid AND con.conrelid = x.indrelid AND con.contype IN ('p', 'u', 'x'))
      AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND ext.objid = c.oid)
    UNION ALL
    -- constraints of tables
    SELECT 'pg_catalog.pg_constraint'::pg_catalog.regclass, con.oid, 0, 'CONSTRAINT', n.nspname::text, c.relname::text,
           con.conname::text
    FROM pg_catalog.pg_constraint con
    JOIN pg_catalog.pg_description dd ON dd.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass
                                     AND dd.objoid = con.oid AND dd.objsubid = 0
    JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p')
      AND n.nspname = ANY (?::text[])
      AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND ext.objid = c.oid)
    UNION ALL
    -- enum, domain, composite (free-standing, not a table's row type) and range types
    SELECT 'pg_catalog.pg_type'::pg_catalog.regclass, t.oid, 0,
           CASE t.typtype WHEN 'e' THEN 'ENUM' WHEN 'd' THEN 'DOMAIN' WHEN 'r' THEN 'RANGE_TYPE' ELSE 'COMPOSITE_TYPE' END,
           n.nspname::text, NULL, t.typname::text
    FROM pg_catalog.pg_type t
    JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
    WHERE (t.typtype IN ('e', 'd', 'r')
           OR (t.typtype = 'c' AND (SELECT rc.relkind FROM pg_catalog.pg_class rc WHERE rc.oid = t.typrelid) = 'c'))
      AND n.nspname = ANY (?::text[])
      AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND ext.objid = t.oid)
    UNION ALL
    -- functions, procedures and aggregates, named name(identity arguments)
    SELECT 'pg_catalog.pg_proc'::pg_catalog.regclass, p.oid, 0,
           CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,
           n.nspname::text, NULL, p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')'
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
    -- triggers (not the internal ones of foreign keys)
    SELECT 'pg_catalog.pg_trigger'::pg_catalog.regclass, tg.oid, 0, 'TRIGGER', n.nspname::text, c.relname::text,
           tg.tgname::text
    FROM pg_catalog.pg_trigger tg
    JOIN pg_catalog.pg_description dd ON dd.classoid = 'pg_catalog.pg_trigger'::pg_catalog.regclass
                                     AND dd.objoid = tg.oid AND dd.objsubid = 0
    JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE NOT tg.tgisinternal
      AND n.nspname = ANY (?::text[])
      AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND ext.objid = c.oid)
    UNION ALL
    -- row level security policies
    SELECT 'pg_catalog.pg_policy'::pg_catalog.regclass, po.oid, 0, 'POLICY', n.nspname::text, c.relname::text,
           po.polname::text
    FROM pg_catalog.pg_policy po
    JOIN pg_catalog.pg_class c ON c.oid = po.polrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ANY (?::text[])
      AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND ext.objid = c.oid)
    UNION ALL
    -- collations (not built-in)
    SELECT 'pg_catalog.pg_collation'::pg_catalog.regclass, co.oid, 0, 'COLLATION', n.nspname::text, NULL,
           co.collname::text
    FROM pg_catalog.pg_collation co
    JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace
    WHERE co.oid >= 16384
      AND n.nspname = ANY (?::text[])
      AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_collation'::pg_catalog.regclass AND ext.objid = co.oid)
    UNION ALL
    -- extensions (database-wide)
    SELECT 'pg_catalog.pg_extension'::pg_catalog.regclass, e.oid, 0, 'EXTENSION', NULL, NULL, e.extname::text
    FROM pg_catalog.pg_extension e
    WHERE e.oid >= 16384
    UNION ALL
    -- event triggers (database-wide)
    SELECT 'pg_catalog.pg_event_trigger'::pg_catalog.regclass, et.oid, 0, 'EVENT_TRIGGER', NULL, NULL, et.evtname::text
    FROM pg_catalog.pg_event_trigger et
    WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_event_trigger'::pg_catalog.regclass
                                          AND ext.objid = et.oid)
)
SELECT 'COMMENT'                                               AS object_kind,
       COALESCE(t.target_schema, CASE WHEN t.target_kind = 'SCHEMA' THEN t.target_name END) AS schema_name,
       NULL::text                                              AS object_name,
       t.target_kind                                           AS target_kind,
       t.target_schema                                         AS target_schema,
       t.target_parent                                         AS target_parent,
       t.target_name                                           AS target_name,
       CASE WHEN t.classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass
            THEN (SELECT p.proname::text FROM pg_catalog.pg_proc p WHERE p.oid = t.objoid) END AS routine_name,
       d.description                                           AS text
FROM targets t
JOIN pg_catalog.pg_description d
  ON d.classoid = t.classoid AND d.objoid = t.objoid AND d.objsubid = t.objsubid
-- the comment initdb gives the built-in public schema is not a finding anywhere (any other text is)
WHERE NOT (t.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND t.objoid < 16384
           AND d.description = 'standard public schema')
ORDER BY 2, 5, 6, 7, 4
