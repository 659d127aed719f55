-- Sequences in the schemas given as text[] parameter 1, minus extension members and identity
-- sequences (pg_depend deptype 'i' on a column). The owning column (OWNED BY, serial) comes from
-- the automatic dependency (deptype 'a') on a table column.
SELECT n.nspname                                               AS schema_name,
       c.relname                                               AS sequence_name,
       pg_catalog.format_type(s.seqtypid, NULL)                AS data_type,
       s.seqstart                                              AS start_value,
       s.seqincrement                                          AS increment_by,
       s.seqmin                                                AS min_value,
       s.seqmax                                                AS max_value,
       s.seqcache                                              AS cache_size,
       s.seqcycle                                              AS cycle,
       own.schema_name                                         AS owner_schema,
       own.table_name                                          AS owner_table,
       own.column_name                                         AS owner_column
FROM pg_catalog.pg_sequence s
JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN LATERAL (
    SELECT tn.nspname AS schema_name, t.relname AS table_name, ta.attname AS column_name
    FROM pg_catalog.pg_depend d
    JOIN pg_catalog.pg_class t ON t.oid = d.refobjid
    JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
    JOIN pg_catalog.pg_attribute ta ON ta.attrelid = d.refobjid AND ta.attnum = d.refobjsubid
    WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
      AND d.objid = s.seqrelid
      AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
      AND d.refobjsubid > 0
      AND d.deptype = 'a'
    LIMIT 1
) own ON true
WHERE n.nspname = ANY (?::text[])
  AND NOT EXISTS (SELECT 1
                  FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                    AND d.objid = c.oid
                    AND d.deptype IN ('e', 'i'))
ORDER BY n.nspname, c.relname
