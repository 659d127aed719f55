-- id: DW331
-- name: foreign-key-without-index
-- severity: warning
-- title: Foreign key columns are not the leading columns of any index
-- message: foreign key {object} ({key_columns}) → {ref_schema:ident}.{ref_table:ident} has no index on its columns
-- object: constraint
-- description: Every DELETE from the referenced table, and every UPDATE of its key, scans the
--   referencing table for matching rows; without an index on the referencing columns that is a
--   sequential scan per row, under lock. PostgreSQL docs, Constraints, Foreign Keys: "Since a DELETE of a
--   row from the referenced table or an UPDATE of a referenced column will require a scan of the
--   referencing table for rows matching the old value, it is often a good idea to index the
--   referencing columns too. Because this is not always needed, and there are many choices
--   available on how to index, the declaration of a foreign key constraint does not automatically
--   create an index on the referencing columns."
-- fix: add a migration with CREATE INDEX CONCURRENTLY ... ON table (fk columns); waive the finding
--   when the referenced rows are never deleted or re-keyed.
-- see: https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-FK

-- An index supports the foreign key when its first n key columns are the key's n columns, in any
-- order (a valid, non-partial btree index; a PRIMARY KEY or UNIQUE constraint's index counts).
WITH covering AS (
    SELECT cc.side, cc.schema_name, cc.table_name, cc.constraint_name, ic.index_name, COUNT(*) AS matched
    FROM constraint_columns cc
    JOIN constraints f
      ON f.side = cc.side AND f.schema_name = cc.schema_name AND f.table_name = cc.table_name
     AND f.constraint_name = cc.constraint_name
    JOIN index_columns ic
      ON ic.side = cc.side AND ic.schema_name = cc.schema_name AND ic.table_name = cc.table_name
     AND ic.column_name = cc.column_name AND NOT ic.is_include AND ic.key_position <= f.column_count
    JOIN indexes i
      ON i.side = ic.side AND i.schema_name = ic.schema_name AND i.table_name = ic.table_name
     AND i.index_name = ic.index_name AND i.is_valid AND NOT i.is_partial AND i.access_method = 'btree'
    WHERE cc.constraint_type = 'f'
    GROUP BY cc.side, cc.schema_name, cc.table_name, cc.constraint_name, ic.index_name
)
SELECT f.schema_name, f.table_name, f.constraint_name, f.key_columns, f.ref_schema, f.ref_table
FROM constraints f
WHERE f.side = 'expected'
  AND f.constraint_type = 'f'
  AND NOT EXISTS (
      SELECT 1 FROM covering c
      WHERE c.side = f.side AND c.schema_name = f.schema_name AND c.table_name = f.table_name
        AND c.constraint_name = f.constraint_name AND c.matched = f.column_count)
