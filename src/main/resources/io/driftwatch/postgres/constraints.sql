-- Table constraints (p, u, c, f, x; conrelid <> 0, so never domain constraints) of tables in the
-- schemas given as text[] parameter 1. Column names come in key order. Rows that PostgreSQL adds
-- on the same table for each partition of a referenced partitioned table (a clone whose parent
-- constraint sits on the same conrelid) are left out: they repeat the parent's name and text.
-- CHECK constraints a child inherits from a parent (plain inheritance or partitioning:
-- coninhcount > 0, conislocal false) are kept: they are real constraints of the child and drift
-- on their own (ALTER TABLE ... NO INHERIT makes them local). The planner does not add them twice:
-- CREATE TABLE ... INHERITS / PARTITION OF creates them and every ADD CONSTRAINT is guarded by the
-- name; parents rank before children, so a parent's DROP CONSTRAINT (which cascades) runs first.
SELECT con.conrelid                                            AS table_oid,
       con.conname                                             AS constraint_name,
       con.contype::text                                       AS constraint_type,
       pg_catalog.pg_get_constraintdef(con.oid)                AS definition,
       -- column numbers in key order; the reader names them from the columns it has read (a per-row
       -- subquery over pg_attribute cost as much as the deparsing)
       con.conkey::int4[]                                      AS column_numbers,
       fn.nspname                                              AS ref_schema,
       fc.relname                                              AS ref_table
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class fc ON con.contype = 'f' AND fc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
WHERE con.contype IN ('p', 'u', 'c', 'f', 'x')
  AND con.conrelid <> 0
  AND c.relkind IN ('r', 'p')
  AND n.nspname = ANY (?::text[])
  AND NOT EXISTS (SELECT 1
                  FROM pg_catalog.pg_constraint parent
                  WHERE parent.oid = con.conparentid
                    AND parent.conrelid = con.conrelid)
-- no ORDER BY: the reader sorts each table's constraints by name
