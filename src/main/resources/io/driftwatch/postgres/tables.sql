-- Tables (relkind r) and partitioned tables (relkind p) in the schemas given as text[] parameter 1,
-- minus extension members. Partitions carry their parent and bound. Settings: UNLOGGED
-- (relpersistence 'u'), row level security enabled / forced, storage parameters (reloptions,
-- sorted in code-point order) and, for tables that are not partitions, the parents by plain
-- inheritance (pg_inherits) in inhseqno order as two parallel arrays (schemas, names).
SELECT c.oid                                                   AS oid,
       n.nspname                                               AS schema_name,
       c.relname                                               AS table_name,
       c.relkind = 'p'                                         AS partitioned,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_key,
       pn.nspname                                              AS parent_schema,
       pc.relname                                              AS parent_name,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
       c.relpersistence = 'u'                                  AS unlogged,
       c.relrowsecurity                                        AS row_security,
       c.relforcerowsecurity                                   AS force_row_security,
       ARRAY(SELECT o FROM pg_catalog.unnest(c.reloptions) AS o ORDER BY o COLLATE "C") AS options,
       ARRAY(SELECT hn.nspname::text
             FROM pg_catalog.pg_inherits h
             JOIN pg_catalog.pg_class hc ON hc.oid = h.inhparent
             JOIN pg_catalog.pg_namespace hn ON hn.oid = hc.relnamespace
             WHERE h.inhrelid = c.oid AND NOT c.relispartition
             ORDER BY h.inhseqno)                              AS inherits_schemas,
       ARRAY(SELECT hc.relname::text
             FROM pg_catalog.pg_inherits h
             JOIN pg_catalog.pg_class hc ON hc.oid = h.inhparent
             WHERE h.inhrelid = c.oid AND NOT c.relispartition
             ORDER BY h.inhseqno)                              AS inherits_names
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_inherits i ON c.relispartition AND i.inhrelid = c.oid
LEFT JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND n.nspname = ANY (?::text[])
  AND NOT EXISTS (SELECT 1
                  FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                    AND d.objid = c.oid
                    AND d.deptype = 'e')
ORDER BY n.nspname, c.relname
