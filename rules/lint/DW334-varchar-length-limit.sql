-- id: DW334
-- name: varchar-length-limit
-- severity: info
-- title: Column uses varchar(n)
-- message: column {object} is {data_type}; prefer text (with a CHECK on length where a limit is a real rule)
-- object: column
-- description: varchar(n) is no faster than text and its limit is arbitrary: when it turns out too
--   small, raising it is a schema change. PostgreSQL wiki, Don't Do This: "Don't use the type
--   varchar(n) by default. Consider varchar (without the length limit) or text instead." PostgreSQL docs, Character Types:
--   "There is no performance difference among these three types, apart from increased storage space
--   when using the blank-padded type".
-- fix: use text (or varchar without a length); keep a CHECK (length(col) <= n) where the limit is a
--   business rule.
-- see: https://wiki.postgresql.org/wiki/Don%27t_Do_This#Don.27t_use_varchar.28n.29_by_default
-- see: https://www.postgresql.org/docs/current/datatype-character.html

SELECT c.schema_name, c.table_name, c.column_name, c.data_type
FROM columns c
WHERE c.side = 'expected'
  AND c.data_type LIKE 'character varying(%'
