-- Views (relkind v) and materialized views (relkind m) in the schemas given as text[]
-- parameter 1, minus extension members, with the server's own deparse of the query and the
-- options (reloptions, sorted in code-point order): security_barrier, check_option (WITH CHECK
-- OPTION is stored as check_option=local|cascaded), security_invoker; for materialized views the
-- storage parameters.
SELECT n.nspname                                               AS schema_name,
       c.relname                                               AS view_name,
       c.relkind = 'm'                                         AS materialized,
       pg_catalog.pg_get_viewdef(c.oid, true)                  AS definition,
       ARRAY(SELECT o FROM pg_catalog.unnest(c.reloptions) AS o ORDER BY o COLLATE "C") AS options
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm')
  AND n.nspname = ANY (?::text[])
  AND NOT EXISTS (SELECT 1
                  FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                    AND d.objid = c.oid
                    AND d.deptype = 'e')
ORDER BY n.nspname, c.relname
