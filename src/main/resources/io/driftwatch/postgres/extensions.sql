-- Extensions (database-wide: schema_name is null, whatever schemas are audited; the text[]
-- parameter 1 is not used but must be bound), as generic catalog objects (see
-- PostgresCatalogReader): kind EXTENSION, name = extname.
-- Attributes: version (extversion), schema (the extension's schema, extnamespace).
-- Built-in extensions are skipped: those created by initdb (oid < 16384, FirstNormalObjectId),
-- i.e. plpgsql in pg_catalog, which every database has. An extension that is itself a member of
-- another extension (pg_depend deptype 'e') is skipped too.
SELECT 'EXTENSION'                                             AS object_kind,
       NULL::text                                              AS schema_name,
       e.extname::text                                         AS object_name,
       e.extversion                                            AS version,
       n.nspname::text                                         AS schema
FROM pg_catalog.pg_extension e
JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
WHERE e.oid >= 16384
  AND pg_catalog.cardinality(?::text[]) >= 0
  AND NOT EXISTS (SELECT 1
                  FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                    AND d.objid = e.oid
                    AND d.deptype = 'e')
ORDER BY e.extname
