-- Event triggers (pg_event_trigger), database-wide, as generic catalog objects (see
-- PostgresCatalogReader): kind EVENT_TRIGGER, no schema, named evtname. Extension members are
-- excluded. The text[] parameter is unused but bound (every generic query takes it).
-- PostgreSQL docs: CREATE EVENT TRIGGER, pg_event_trigger.
-- Attributes:
--   event     evtevent (ddl_command_start, ddl_command_end, sql_drop, table_rewrite)
--   tags      evttags sorted, joined with ', ' (absent when the trigger fires for every tag)
--   function  evtfoid::regprocedure, schema-qualified (search_path = pg_catalog)
--   enabled   evtenabled: O (origin/local), D (disabled), R (replica), A (always)
SELECT 'EVENT_TRIGGER'                                                      AS object_kind,
       NULL::text                                                           AS schema_name,
       e.evtname::text                                                      AS object_name,
       e.evtevent::text                                                     AS event,
       NULLIF(pg_catalog.array_to_string(ARRAY(SELECT x FROM pg_catalog.unnest(e.evttags) AS x ORDER BY x COLLATE "C"),
                                         ', '), '')                         AS tags,
       e.evtfoid::pg_catalog.regprocedure::text                             AS function,
       e.evtenabled::text                                                   AS enabled
FROM pg_catalog.pg_event_trigger e
WHERE pg_catalog.cardinality(?::text[]) >= 0
  AND NOT EXISTS (SELECT 1
                  FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_event_trigger'::pg_catalog.regclass
                    AND d.objid = e.oid
                    AND d.deptype = 'e')
ORDER BY e.evtname
