-- Indexes of tables in the schemas given as text[] parameter 1, except those backing a primary
-- key, unique or exclusion constraint of the same table (the Constraint models them).
SELECT x.indrelid                                              AS table_oid,
       ic.relname                                              AS index_name,
       pg_catalog.pg_get_indexdef(x.indexrelid)                AS definition,
       x.indisunique                                           AS is_unique,
       am.amname                                               AS method,
       pg_catalog.pg_get_expr(x.indpred, x.indrelid)           AS predicate,
       x.indisvalid                                            AS is_valid
FROM pg_catalog.pg_index x
JOIN pg_catalog.pg_class ic ON ic.oid = x.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
JOIN pg_catalog.pg_class c ON c.oid = x.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND n.nspname = ANY (?::text[])
  AND NOT EXISTS (SELECT 1
                  FROM pg_catalog.pg_constraint con
                  WHERE con.conindid = x.indexrelid
                    AND con.conrelid = x.indrelid
                    AND con.contype IN ('p', 'u', 'x'))
-- no ORDER BY: the reader sorts each table's indexes by name
