-- Indexes of materialized views (relkind m) in the schemas given as text[] parameter 1, as generic
-- catalog objects (see PostgresCatalogReader): kind INDEX, parent = the materialized view.
-- Attributes: definition (pg_get_indexdef), valid ('true'/'false').
SELECT 'INDEX'                                                 AS object_kind,
       n.nspname                                               AS schema_name,
       c.relname                                               AS parent_name,
       ic.relname                                              AS object_name,
       pg_catalog.pg_get_indexdef(x.indexrelid)                AS definition,
       x.indisvalid::text                                      AS valid
FROM pg_catalog.pg_index x
JOIN pg_catalog.pg_class ic ON ic.oid = x.indexrelid
JOIN pg_catalog.pg_class c ON c.oid = x.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'm'
  AND n.nspname = ANY (?::text[])
  AND NOT EXISTS (SELECT 1
                  FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                    AND d.objid = c.oid
                    AND d.deptype = 'e')
ORDER BY n.nspname, c.relname, ic.relname
