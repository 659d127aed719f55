-- id: DW337
-- name: nullable-column-in-unique-key
-- severity: info
-- title: Unique key has a nullable column, so rows with NULL there are never duplicates
-- message: unique key {object} allows duplicates: its column {column_name:ident} is nullable and NULLs are distinct
-- description: A UNIQUE constraint or unique index does not stop two rows that are equal except
--   for a NULL in a key column. PostgreSQL docs, Constraints, Unique Constraints: "By default, two null
--   values are not considered equal in this comparison. That means even in the presence of a
--   unique constraint it is possible to store duplicate rows that contain a null value in at least
--   one of the constrained columns. This behavior can be changed by adding the clause NULLS NOT
--   DISTINCT". Partial unique indexes are not reported (their predicate usually handles the NULLs).
-- fix: make the column NOT NULL, or declare the key UNIQUE NULLS NOT DISTINCT (PostgreSQL 15+), or
--   waive the finding when NULL really means "no value, may repeat".
-- see: https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-UNIQUE-CONSTRAINTS

-- The object is the constraint when the index backs one, else the index (object_kind per row).
SELECT CASE WHEN i.constraint_name IS NULL THEN 'index' ELSE 'constraint' END AS object_kind,
       i.schema_name, i.table_name, i.index_name AS object_name, ic.column_name
FROM indexes i
JOIN index_columns ic
  ON ic.side = i.side AND ic.schema_name = i.schema_name AND ic.table_name = i.table_name
 AND ic.index_name = i.index_name AND NOT ic.is_include
JOIN columns c
  ON c.side = i.side AND c.schema_name = i.schema_name AND c.table_name = i.table_name
 AND c.column_name = ic.column_name
WHERE i.side = 'expected'
  AND i.is_unique AND NOT i.is_primary AND NOT i.nulls_not_distinct AND NOT i.is_partial
  AND NOT c.not_null
