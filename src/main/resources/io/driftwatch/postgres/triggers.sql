-- Triggers (pg_trigger) on tables, partitioned tables and views in the schemas given as text[]
-- parameter 1, as generic catalog objects (see PostgresCatalogReader): kind TRIGGER, parent = the
-- relation. Internal triggers (foreign keys, tgisinternal) are skipped, and so are the clones a
-- trigger on a partitioned table leaves on each partition (tgparentid <> 0: they repeat the
-- parent's trigger). Relations that are extension members are skipped. Triggers on the Flyway
-- history table are dropped by the reader's filter. PostgreSQL docs: CREATE TRIGGER, pg_trigger.
-- Attributes:
--   definition  pg_get_triggerdef (CREATE [CONSTRAINT] TRIGGER ..., names schema-qualified)
--   enabled     tgenabled: O (origin/local), D (disabled), R (replica), A (always)
SELECT 'TRIGGER'                                   AS object_kind,
       n.nspname                                   AS schema_name,
       c.relname                                   AS parent_name,
       t.tgname                                    AS object_name,
       pg_catalog.pg_get_triggerdef(t.oid)         AS definition,
       t.tgenabled::text                           AS enabled
FROM pg_catalog.pg_trigger t
JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE NOT t.tgisinternal
  AND t.tgparentid = 0
  AND c.relkind IN ('r', 'p', 'v')
  AND n.nspname = ANY (?::text[])
  AND NOT EXISTS (SELECT 1
                  FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                    AND d.objid = c.oid
                    AND d.deptype = 'e')
ORDER BY n.nspname, c.relname, t.tgname
