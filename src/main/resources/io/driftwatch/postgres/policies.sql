-- Row level security policies (pg_policy) of tables in the schemas given as text[] parameter 1, as
-- generic catalog objects (see PostgresCatalogReader): kind POLICY, parent = the table.
-- Attributes: command (polcmd r/a/w/d/* as SELECT/INSERT/UPDATE/DELETE/ALL), permissive
-- ('true'/'false'), roles (role names sorted and joined by ", ", PUBLIC for role oid 0; named
-- "roles" so the role map applies), using (pg_get_expr(polqual)), with_check
-- (pg_get_expr(polwithcheck)); an absent expression is null. PostgreSQL docs, CREATE POLICY.
SELECT 'POLICY'                                                AS object_kind,
       n.nspname                                               AS schema_name,
       c.relname                                               AS parent_name,
       p.polname                                               AS object_name,
       CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                     WHEN 'd' THEN 'DELETE' ELSE 'ALL' END     AS command,
       p.polpermissive::text                                   AS permissive,
       (SELECT pg_catalog.string_agg(r.role_name, ', ' ORDER BY r.role_name COLLATE "C")
        FROM (SELECT CASE WHEN pr.oid = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(pr.oid)::text END AS role_name
              FROM pg_catalog.unnest(p.polroles) AS pr(oid)) r) AS roles,
       pg_catalog.pg_get_expr(p.polqual, p.polrelid)           AS "using",
       pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid)      AS with_check
FROM pg_catalog.pg_policy p
JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY (?::text[])
  AND NOT EXISTS (SELECT 1
                  FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                    AND d.objid = c.oid
                    AND d.deptype = 'e')
ORDER BY n.nspname, c.relname, p.polname
