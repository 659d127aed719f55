-- Stand-alone composite types (CREATE TYPE ... AS (...): pg_type typtype 'c' whose typrelid is a
-- pg_class row of relkind 'c'; not the row types of tables and views) in the schemas given as
-- text[] parameter 1, minus extension members, as generic catalog objects (see
-- PostgresCatalogReader): kind COMPOSITE_TYPE.
-- Attribute: attributes = one line per attribute in attnum order, "name type [COLLATE collation]"
-- (quote_ident name, format_type type; the collation only when it differs from the type's);
-- absent for a type without attributes.
SELECT 'COMPOSITE_TYPE'                                        AS object_kind,
       n.nspname::text                                         AS schema_name,
       t.typname::text                                         AS object_name,
       (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname) || ' '
                   || pg_catalog.format_type(a.atttypid, a.atttypmod)
                   || CASE WHEN a.attcollation <> at.typcollation
                           THEN ' COLLATE ' || a.attcollation::pg_catalog.regcollation::text ELSE '' END,
                   E'\n' ORDER BY a.attnum)
        FROM pg_catalog.pg_attribute a
        JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
        WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) AS attributes
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_class c ON c.oid = t.typrelid
WHERE t.typtype = 'c'
  AND c.relkind = 'c'
  AND n.nspname = ANY (?::text[])
  AND NOT EXISTS (SELECT 1
                  FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass
                    AND d.objid = t.oid
                    AND d.deptype = 'e')
ORDER BY n.nspname, t.typname
