-- id: DW335
-- name: char-n
-- severity: warning
-- title: Column uses char(n)
-- message: column {object} is {data_type}; use text or varchar
-- object: column
-- description: char(n) pads values with spaces to n characters, and the padding is ignored or not
--   depending on the operation, which surprises in comparisons, LIKE and concatenation. PostgreSQL
--   wiki, Don't Do This, sections "Don't use char(n)" and "Don't use char(n) even for fixed-length
--   identifiers" (a CHECK on the length does that job).
-- fix: ALTER COLUMN ... TYPE text (rtrim the values if the padding leaked into them); for a fixed
--   length add CHECK (length(col) = n).
-- see: https://wiki.postgresql.org/wiki/Don%27t_Do_This#Don.27t_use_char.28n.29
-- see: https://www.postgresql.org/docs/current/datatype-character.html

SELECT c.schema_name, c.table_name, c.column_name, c.data_type
FROM columns c
WHERE c.side = 'expected'
  AND c.data_type LIKE 'character(%'
