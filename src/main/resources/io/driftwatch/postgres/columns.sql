-- Columns of tables and partitioned tables in the schemas given as text[] parameter 1
-- (non-dropped, attnum > 0). The default is null for generated columns; their expression is
-- generated_expr. The collation is given only when it differs from the type's default.
-- identity_options: for identity columns the parameters of the identity sequence (pg_sequence,
-- found through pg_depend deptype 'i'), in CREATE SEQUENCE order:
-- AS <type> INCREMENT BY n MINVALUE n MAXVALUE n START WITH n CACHE n [NO] CYCLE.
SELECT a.attrelid                                              AS table_oid,
       a.attname                                               AS column_name,
       a.attnum                                                AS position,
       pg_catalog.format_type(a.atttypid, a.atttypmod)         AS data_type,
       a.attnotnull                                            AS not_null,
       CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END AS default_expr,
       a.attidentity::text                                     AS identity,
       CASE WHEN a.attgenerated = 's' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END AS generated_expr,
       CASE WHEN a.attcollation <> t.typcollation THEN cn.nspname END AS collation_schema,
       CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS collation_name,
       -- a scalar subquery evaluated for identity columns only (a LEFT JOIN probed pg_depend for every column)
       CASE WHEN a.attidentity <> '' THEN
           (SELECT 'AS ' || pg_catalog.format_type(s.seqtypid, NULL) || ' INCREMENT BY ' || s.seqincrement
                   || ' MINVALUE ' || s.seqmin || ' MAXVALUE ' || s.seqmax || ' START WITH ' || s.seqstart
                   || ' CACHE ' || s.seqcache || CASE WHEN s.seqcycle THEN ' CYCLE' ELSE ' NO CYCLE' END
            FROM pg_catalog.pg_depend sd
            JOIN pg_catalog.pg_sequence s ON s.seqrelid = sd.objid
            WHERE sd.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
              AND sd.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
              AND sd.refobjid = a.attrelid
              AND sd.refobjsubid = a.attnum
              AND sd.deptype = 'i'
            LIMIT 1)
       END                                                     AS identity_options
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
WHERE c.relkind IN ('r', 'p')
  AND n.nspname = ANY (?::text[])
  AND a.attnum > 0
  AND NOT a.attisdropped
-- no ORDER BY: the reader sorts each table's columns by position
