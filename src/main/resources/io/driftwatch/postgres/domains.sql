-- Domains (pg_type typtype 'd') in the schemas given as text[] parameter 1, minus extension
-- members, as generic catalog objects (see PostgresCatalogReader): kind DOMAIN.
-- Attributes: base_type (format_type(typbasetype, typtypmod)), default (typdefault), not_null
-- ('true'/'false', typnotnull), collation (only when it differs from the base type's, as
-- regcollation text), checks (every CHECK constraint of the domain as "name: <pg_get_constraintdef>"
-- with the name as quote_ident writes it,
-- which ends in " NOT VALID" when not validated, one per line in name order; absent when none).
SELECT 'DOMAIN'                                                AS object_kind,
       n.nspname::text                                         AS schema_name,
       t.typname::text                                         AS object_name,
       pg_catalog.format_type(t.typbasetype, t.typtypmod)      AS base_type,
       t.typdefault                                            AS "default",
       t.typnotnull::text                                      AS not_null,
       CASE WHEN t.typcollation <> b.typcollation
            THEN t.typcollation::pg_catalog.regcollation::text END AS collation,
       (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(k.conname) || ': ' || pg_catalog.pg_get_constraintdef(k.oid), E'\n'
                                     ORDER BY k.conname)
        FROM pg_catalog.pg_constraint k
        WHERE k.contypid = t.oid AND k.contype = 'c')          AS checks
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_type b ON b.oid = t.typbasetype
WHERE t.typtype = 'd'
  AND t.oid >= 16384
  AND n.nspname = ANY (?::text[])
  AND NOT EXISTS (SELECT 1
                  FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass
                    AND d.objid = t.oid
                    AND d.deptype = 'e')
ORDER BY n.nspname, t.typname
