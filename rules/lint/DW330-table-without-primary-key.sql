-- id: DW330
-- name: table-without-primary-key
-- severity: warning
-- title: Table has no primary key
-- message: table {object} has no primary key
-- object: table
-- description: Without a primary key rows cannot be addressed one by one: duplicates creep in,
--   ORMs and logical replication (UPDATE and DELETE need a replica identity) stumble, and
--   foreign keys have nothing to point at. PostgreSQL docs, Constraints, Primary Keys: "Relational
--   database theory dictates that every table must have a primary key. This rule is not enforced
--   by PostgreSQL, but it is usually best to follow it."
-- fix: add a migration with ALTER TABLE ... ADD PRIMARY KEY (...) (or an identity column
--   ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY).
-- see: https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-PRIMARY-KEYS
-- see: https://www.postgresql.org/docs/current/logical-replication-publication.html

-- Lints the schema the migrations create (side 'expected'). Partitions are skipped: a partitioned
-- table's primary key is inherited by its partitions, so the parent is the one reported.
SELECT t.schema_name, t.table_name
FROM tables t
WHERE t.side = 'expected'
  AND NOT t.has_primary_key
  AND NOT t.is_partition
