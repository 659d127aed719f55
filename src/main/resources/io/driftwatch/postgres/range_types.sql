-- Range types (pg_type typtype 'r', pg_range) in the schemas given as text[] parameter 1, minus
-- extension members, as generic catalog objects (see PostgresCatalogReader): kind RANGE_TYPE.
-- The multirange type PostgreSQL creates with each range is not listed on its own (typtype 'm').
-- Attributes: subtype (format_type), subtype_opclass (qualified operator class name, only when it
-- is not the subtype's default btree class), collation (regcollation text, only when it differs
-- from the subtype's), canonical and subtype_diff (regproc text, absent when none),
-- multirange_type_name (regtype text of the multirange type).
SELECT 'RANGE_TYPE'                                            AS object_kind,
       n.nspname::text                                         AS schema_name,
       t.typname::text                                         AS object_name,
       pg_catalog.format_type(r.rngsubtype, NULL)              AS subtype,
       CASE WHEN NOT opc.opcdefault
            THEN pg_catalog.quote_ident(opcn.nspname) || '.' || pg_catalog.quote_ident(opc.opcname) END AS subtype_opclass,
       CASE WHEN r.rngcollation <> st.typcollation
            THEN r.rngcollation::pg_catalog.regcollation::text END AS collation,
       CASE WHEN r.rngcanonical <> 0 THEN r.rngcanonical::pg_catalog.regproc::text END AS canonical,
       CASE WHEN r.rngsubdiff <> 0 THEN r.rngsubdiff::pg_catalog.regproc::text END AS subtype_diff,
       r.rngmultitypid::pg_catalog.regtype::text               AS multirange_type_name
FROM pg_catalog.pg_range r
JOIN pg_catalog.pg_type t ON t.oid = r.rngtypid
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_type st ON st.oid = r.rngsubtype
JOIN pg_catalog.pg_opclass opc ON opc.oid = r.rngsubopc
JOIN pg_catalog.pg_namespace opcn ON opcn.oid = opc.opcnamespace
WHERE t.typtype = 'r'
  AND t.oid >= 16384
  AND n.nspname = ANY (?::text[])
  AND NOT EXISTS (SELECT 1
                  FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass
                    AND d.objid = t.oid
                    AND d.deptype = 'e')
ORDER BY n.nspname, t.typname
