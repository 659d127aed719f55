-- id: DW332
-- name: redundant-index
-- severity: warning
-- title: Index duplicates another index or is a prefix of one
-- message: index {object} ({key_columns}) is redundant: {covering_index:ident} ({covering_columns}) on the same table covers it
-- object: index
-- description: A btree index on (a) is made redundant by one on (a, b): PostgreSQL docs,
--   Multicolumn Indexes: "A multicolumn B-tree index can be used with query conditions that involve
--   any subset of the index's columns, but the index is most efficient when there are constraints
--   on the leading (leftmost) columns". An exact duplicate only costs: every write maintains both,
--   and both take disk, cache and vacuum time. The PostgreSQL wiki's Index Maintenance page lists
--   duplicate indexes as the first thing to remove. A unique index is only redundant beside an
--   equal unique one (it enforces something); constraint indexes are never reported.
-- fix: add a migration with DROP INDEX CONCURRENTLY for the redundant index (check pg_stat_user_indexes
--   first: a smaller index can still be chosen for speed).
-- see: https://www.postgresql.org/docs/current/indexes-multicolumn.html
-- see: https://wiki.postgresql.org/wiki/Index_Maintenance#Duplicate_indexes

-- Elements compare as pg_get_indexdef writes them (expressions, DESC, opclasses and collations
-- included); predicates must be equal. Of two equal plain indexes the later name is reported.
WITH pairs AS (
    SELECT a.side, a.schema_name, a.table_name, a.index_name AS a_name, b.index_name AS b_name,
           COUNT(*) AS matched
    FROM index_columns a
    JOIN index_columns b
      ON b.side = a.side AND b.schema_name = a.schema_name AND b.table_name = a.table_name
     AND b.index_name <> a.index_name AND b.key_position = a.key_position AND b.key_element = a.key_element
     AND NOT b.is_include
    WHERE NOT a.is_include
    GROUP BY a.side, a.schema_name, a.table_name, a.index_name, b.index_name
)
SELECT a.schema_name, a.table_name, a.index_name, a.key_columns,
       MIN(b.index_name) AS covering_index, MIN(b.key_columns) AS covering_columns
FROM pairs p
JOIN indexes a
  ON a.side = p.side AND a.schema_name = p.schema_name AND a.table_name = p.table_name AND a.index_name = p.a_name
JOIN indexes b
  ON b.side = p.side AND b.schema_name = p.schema_name AND b.table_name = p.table_name AND b.index_name = p.b_name
WHERE p.side = 'expected'
  AND p.matched = a.key_count
  AND a.key_count <= b.key_count
  AND a.access_method = 'btree' AND b.access_method = 'btree'
  AND a.constraint_name IS NULL
  AND a.is_valid AND b.is_valid
  AND ((a.predicate IS NULL AND b.predicate IS NULL) OR a.predicate = b.predicate)
  AND (a.include_columns IS NULL OR a.include_columns = b.include_columns)
  AND (NOT a.is_unique OR (b.is_unique AND a.key_count = b.key_count))
  AND (a.key_count < b.key_count OR b.constraint_name IS NOT NULL OR a.index_name > b.index_name)
GROUP BY a.schema_name, a.table_name, a.index_name, a.key_columns
