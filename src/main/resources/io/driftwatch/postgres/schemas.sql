-- Schemas to read. Parameter 1: text[] of requested names; empty = every non-system schema.
-- Excludes pg_catalog, information_schema, pg_toast*, pg_temp* and schemas owned by an extension
-- (pg_depend deptype 'e') unless they are named explicitly.
SELECT n.nspname AS schema_name
FROM pg_catalog.pg_namespace n
WHERE CASE
        WHEN pg_catalog.cardinality(?::text[]) > 0 THEN n.nspname = ANY (?::text[])
        ELSE n.nspname NOT IN ('pg_catalog', 'information_schema')
             AND n.nspname NOT LIKE 'pg\_toast%'
             AND n.nspname NOT LIKE 'pg\_temp\_%'
             AND NOT EXISTS (SELECT 1
                             FROM pg_catalog.pg_depend d
                             WHERE d.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
                               AND d.objid = n.oid
                               AND d.deptype = 'e')
      END
ORDER BY n.nspname
