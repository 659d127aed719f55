-- User-created collations (oid >= 16384, FirstNormalObjectId) in the schemas given as text[]
-- parameter 1, minus extension members, as generic catalog objects (see PostgresCatalogReader):
-- kind COLLATION. Attributes (PostgreSQL 15 pg_collation): provider (collprovider: c = libc,
-- i = icu, d = default), lc_collate (collcollate), lc_ctype (collctype), icu_locale
-- (colliculocale; PostgreSQL 17 renamed it colllocale, so it is read through to_jsonb, which works
-- on both), deterministic (collisdeterministic, 'true'/'false'). collencoding and collversion are
-- left out: they depend on the database encoding and the ICU/libc build, not on the DDL.
SELECT 'COLLATION'                                             AS object_kind,
       n.nspname::text                                         AS schema_name,
       c.collname::text                                        AS object_name,
       c.collprovider::text                                    AS provider,
       c.collcollate                                           AS lc_collate,
       c.collctype                                             AS lc_ctype,
       coalesce(pg_catalog.to_jsonb(c) ->> 'colllocale',
                pg_catalog.to_jsonb(c) ->> 'colliculocale')    AS icu_locale,
       c.collisdeterministic::text                             AS deterministic
FROM pg_catalog.pg_collation c
JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace
WHERE c.oid >= 16384
  AND n.nspname = ANY (?::text[])
  AND NOT EXISTS (SELECT 1
                  FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_collation'::pg_catalog.regclass
                    AND d.objid = c.oid
                    AND d.deptype = 'e')
ORDER BY n.nspname, c.collname
