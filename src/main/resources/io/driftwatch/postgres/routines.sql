-- Functions and procedures (pg_proc prokind 'f' / 'p') in the schemas given as text[] parameter 1,
-- as generic catalog objects (see PostgresCatalogReader): kind FUNCTION or PROCEDURE, named
-- proname(pg_get_function_identity_arguments). Aggregates (prokind 'a') are in aggregates.sql;
-- window functions (prokind 'w') are not modelled. Extension members (pg_depend deptype 'e'),
-- functions internal to another object (deptype 'i': range and multirange type constructors) and
-- built-ins are excluded. PostgreSQL docs: CREATE FUNCTION, CREATE PROCEDURE, pg_proc.
-- Attributes (all text, none environment-specific: no oids, owners or costs beyond what the
-- definition shows):
--   definition        pg_get_functiondef: the full CREATE OR REPLACE text (compared; no trailing ';')
--   signature         oid::regprocedure, schema-qualified (search_path = pg_catalog): DROP/lookup text
--   language          pg_language.lanname
--   volatility        IMMUTABLE / STABLE / VOLATILE (provolatile)
--   strict            proisstrict ('true'/'false')
--   security_definer  prosecdef ('true'/'false')
--   config            proconfig joined with ', ' (e.g. search_path=public, pg_temp), absent when none
--   returns           pg_get_function_result (absent for procedures)
--   arguments         pg_get_function_arguments: names, modes and defaults
-- The readable attributes repeat parts of the definition so findings name what changed.
SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END                AS object_kind,
       n.nspname                                                                   AS schema_name,
       p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')' AS object_name,
       p.oid::pg_catalog.regprocedure::text                                         AS signature,
       pg_catalog.pg_get_functiondef(p.oid)                                         AS definition,
       l.lanname::text                                                              AS language,
       CASE p.provolatile WHEN 'i' THEN 'IMMUTABLE' WHEN 's' THEN 'STABLE' ELSE 'VOLATILE' END AS volatility,
       p.proisstrict::text                                                          AS strict,
       p.prosecdef::text                                                            AS security_definer,
       pg_catalog.array_to_string(p.proconfig, ', ')                                AS config,
       pg_catalog.pg_get_function_result(p.oid)                                     AS returns,
       pg_catalog.pg_get_function_arguments(p.oid)                                  AS arguments
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
JOIN pg_catalog.pg_language l ON l.oid = p.prolang
WHERE p.prokind IN ('f', 'p')
  AND p.oid >= 16384
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname = ANY (?::text[])
  AND NOT EXISTS (SELECT 1
                  FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                    AND d.objid = p.oid
                    AND d.deptype IN ('e', 'i'))
ORDER BY n.nspname, p.proname, 3
