-- Objects Driftwatch does not model, in the schemas given as text[] parameter 1 (schema-scoped
-- kinds) or database-wide, minus extension members (pg_depend deptype 'e') and built-in objects
-- (oid < 16384, FirstNormalObjectId). Reported as "not audited: <kind> <name>" so a report never
-- says "in sync" while blind. Columns: kind (PostgreSQL's word), schema_name (null when
-- database-wide), parent_name (the table of a rule, else null), object_name.
WITH ext AS (
    SELECT d.classid, d.objid FROM pg_catalog.pg_depend d WHERE d.deptype = 'e'
)
SELECT 'foreign table' AS kind, n.nspname AS schema_name, NULL::text AS parent_name, c.relname::text AS object_name
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'f' AND n.nspname = ANY (?::text[])
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND ext.objid = c.oid)
UNION ALL
SELECT 'rule', n.nspname, c.relname::text, r.rulename::text
FROM pg_catalog.pg_rewrite r
JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE r.rulename <> '_RETURN' AND n.nspname = ANY (?::text[])
UNION ALL
SELECT 'statistics object', n.nspname, NULL, s.stxname::text
FROM pg_catalog.pg_statistic_ext s
JOIN pg_catalog.pg_namespace n ON n.oid = s.stxnamespace
WHERE n.nspname = ANY (?::text[])
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_statistic_ext'::pg_catalog.regclass AND ext.objid = s.oid)
UNION ALL
SELECT 'text search configuration', n.nspname, NULL, t.cfgname::text
FROM pg_catalog.pg_ts_config t
JOIN pg_catalog.pg_namespace n ON n.oid = t.cfgnamespace
WHERE t.oid >= 16384 AND n.nspname = ANY (?::text[])
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_ts_config'::pg_catalog.regclass AND ext.objid = t.oid)
UNION ALL
SELECT 'text search dictionary', n.nspname, NULL, t.dictname::text
FROM pg_catalog.pg_ts_dict t
JOIN pg_catalog.pg_namespace n ON n.oid = t.dictnamespace
WHERE t.oid >= 16384 AND n.nspname = ANY (?::text[])
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_ts_dict'::pg_catalog.regclass AND ext.objid = t.oid)
UNION ALL
SELECT 'operator', n.nspname, NULL, o.oprname || '(' || pg_catalog.format_type(o.oprleft, NULL) || ', '
       || pg_catalog.format_type(o.oprright, NULL) || ')'
FROM pg_catalog.pg_operator o
JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
WHERE o.oid >= 16384 AND n.nspname = ANY (?::text[])
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_operator'::pg_catalog.regclass AND ext.objid = o.oid)
UNION ALL
SELECT 'operator class', n.nspname, NULL, o.opcname::text
FROM pg_catalog.pg_opclass o
JOIN pg_catalog.pg_namespace n ON n.oid = o.opcnamespace
WHERE o.oid >= 16384 AND n.nspname = ANY (?::text[])
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_opclass'::pg_catalog.regclass AND ext.objid = o.oid)
UNION ALL
SELECT 'operator family', n.nspname, NULL, o.opfname::text
FROM pg_catalog.pg_opfamily o
JOIN pg_catalog.pg_namespace n ON n.oid = o.opfnamespace
WHERE o.oid >= 16384 AND n.nspname = ANY (?::text[])
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_opfamily'::pg_catalog.regclass AND ext.objid = o.oid)
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_opclass oc WHERE oc.opcfamily = o.oid AND oc.opcname = o.opfname
                    AND oc.opcnamespace = o.opfnamespace)
UNION ALL
SELECT 'conversion', n.nspname, NULL, c.conname::text
FROM pg_catalog.pg_conversion c
JOIN pg_catalog.pg_namespace n ON n.oid = c.connamespace
WHERE c.oid >= 16384 AND n.nspname = ANY (?::text[])
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_conversion'::pg_catalog.regclass AND ext.objid = c.oid)
UNION ALL
SELECT 'base type', n.nspname, NULL, t.typname::text
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.oid >= 16384 AND t.typtype IN ('b', 'p') AND t.typelem = 0 AND n.nspname = ANY (?::text[])
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND ext.objid = t.oid)
UNION ALL
SELECT 'cast', NULL, NULL, pg_catalog.format_type(c.castsource, NULL) || ' AS ' || pg_catalog.format_type(c.casttarget, NULL)
FROM pg_catalog.pg_cast c
WHERE c.oid >= 16384
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_cast'::pg_catalog.regclass AND ext.objid = c.oid)
  -- the range-to-multirange cast CREATE TYPE ... AS RANGE makes (internal dependency on the range type)
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_cast'::pg_catalog.regclass
                    AND d.objid = c.oid AND d.deptype = 'i')
UNION ALL
SELECT 'publication', NULL, NULL, p.pubname::text
FROM pg_catalog.pg_publication p
UNION ALL
SELECT 'foreign data wrapper', NULL, NULL, w.fdwname::text
FROM pg_catalog.pg_foreign_data_wrapper w
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_foreign_data_wrapper'::pg_catalog.regclass AND ext.objid = w.oid)
UNION ALL
SELECT 'foreign server', NULL, NULL, s.srvname::text
FROM pg_catalog.pg_foreign_server s
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_foreign_server'::pg_catalog.regclass AND ext.objid = s.oid)
UNION ALL
SELECT 'language', NULL, NULL, l.lanname::text
FROM pg_catalog.pg_language l
WHERE l.oid >= 16384
  AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_language'::pg_catalog.regclass AND ext.objid = l.oid)
ORDER BY 1, 2, 3, 4
