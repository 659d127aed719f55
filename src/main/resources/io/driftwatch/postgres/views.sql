-- Views (relkind v) and materialized views (relkind m) in the schemas given as text[]
-- parameter 1, minus extension members, with the server's own deparse of the query and the
-- options (reloptions, sorted in code-point order): security_barrier, check_option (WITH CHECK
-- OPTION is stored as check_option=local|cascaded), security_invoker; for materialized views the
-- storage parameters. dep_schemas/dep_names (parallel arrays) are what the view's rewrite rule
-- depends on in pg_depend: relations (other than itself) and enum, domain, composite and range
-- types outside the system schemas; the planner orders view drops and creations by them.
SELECT n.nspname                                               AS schema_name,
       c.relname                                               AS view_name,
       c.relkind = 'm'                                         AS materialized,
       pg_catalog.pg_get_viewdef(c.oid, true)                  AS definition,
       ARRAY(SELECT o FROM pg_catalog.unnest(c.reloptions) AS o ORDER BY o COLLATE "C") AS options,
       deps.dep_schemas                                        AS dep_schemas,
       deps.dep_names                                          AS dep_names
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN LATERAL (
    SELECT pg_catalog.array_agg(dep.schema_name ORDER BY dep.schema_name, dep.name) AS dep_schemas,
           pg_catalog.array_agg(dep.name ORDER BY dep.schema_name, dep.name)        AS dep_names
    FROM (SELECT DISTINCT dn.nspname::text AS schema_name, COALESCE(rc.relname, rt.typname)::text AS name
          FROM pg_catalog.pg_rewrite r
          JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass
                                     AND d.objid = r.oid
          LEFT JOIN pg_catalog.pg_class rc ON d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                                          AND rc.oid = d.refobjid AND rc.oid <> c.oid
          LEFT JOIN pg_catalog.pg_type rt ON d.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass
                                         AND rt.oid = d.refobjid AND rt.typtype IN ('e', 'd', 'c', 'r')
          JOIN pg_catalog.pg_namespace dn ON dn.oid = COALESCE(rc.relnamespace, rt.typnamespace)
          WHERE r.ev_class = c.oid
            AND (rc.oid IS NOT NULL OR rt.oid IS NOT NULL)
            AND dn.nspname NOT IN ('pg_catalog', 'information_schema')) dep
) deps ON true
WHERE c.relkind IN ('v', 'm')
  AND n.nspname = ANY (?::text[])
  AND NOT EXISTS (SELECT 1
                  FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                    AND d.objid = c.oid
                    AND d.deptype = 'e')
ORDER BY n.nspname, c.relname
