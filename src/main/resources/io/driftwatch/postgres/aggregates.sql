-- Aggregate functions (pg_proc prokind 'a' joined to pg_aggregate) in the schemas given as text[]
-- parameter 1, as generic catalog objects (see PostgresCatalogReader): kind AGGREGATE, named
-- proname(pg_get_function_identity_arguments) like functions. Extension members and internal
-- dependents (pg_depend deptype 'e' / 'i') are excluded.
-- PostgreSQL docs: CREATE AGGREGATE, pg_aggregate.
-- Attributes (text; function and type names schema-qualified under search_path = pg_catalog):
--   signature    quote_ident(schema).quote_ident(name)(identity arguments, '*' when none): for DROP
--   kind         aggkind: n (normal), o (ordered-set), h (hypothetical-set)
--   sfunc        aggtransfn::regprocedure     stype   format_type(aggtranstype)
--   finalfunc    aggfinalfn::regprocedure     combinefunc  aggcombinefn::regprocedure
--   initcond     agginitval                   sortop  aggsortop::regoperator
--   definition   a CREATE AGGREGATE statement built from every pg_aggregate column (no ';'), so a
--                difference in any parameter shows and the aggregate can be created from it alone
SELECT 'AGGREGATE'                                                           AS object_kind,
       n.nspname                                                             AS schema_name,
       p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')' AS object_name,
       pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname) || '('
           || CASE WHEN p.pronargs = 0 THEN '*' ELSE pg_catalog.pg_get_function_identity_arguments(p.oid) END
           || ')'                                                            AS signature,
       a.aggkind::text                                                       AS kind,
       a.aggtransfn::pg_catalog.regprocedure::text                           AS sfunc,
       pg_catalog.format_type(a.aggtranstype, NULL)                          AS stype,
       NULLIF(a.aggfinalfn, 0)::pg_catalog.regprocedure::text                AS finalfunc,
       NULLIF(a.aggcombinefn, 0)::pg_catalog.regprocedure::text              AS combinefunc,
       a.agginitval                                                          AS initcond,
       NULLIF(a.aggsortop, 0)::pg_catalog.regoperator::text                  AS sortop,
       'CREATE AGGREGATE ' || pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname) || '('
           || CASE WHEN p.pronargs = 0 THEN '*' ELSE pg_catalog.pg_get_function_identity_arguments(p.oid) END
           || ') ('
           || pg_catalog.concat_ws(', ',
                'SFUNC = ' || a.aggtransfn::pg_catalog.regproc::text,
                'STYPE = ' || pg_catalog.format_type(a.aggtranstype, NULL),
                'SSPACE = ' || NULLIF(a.aggtransspace, 0),
                'FINALFUNC = ' || NULLIF(a.aggfinalfn, 0)::pg_catalog.regproc::text,
                CASE WHEN a.aggfinalfn <> 0 AND a.aggfinalextra THEN 'FINALFUNC_EXTRA' END,
                CASE WHEN a.aggfinalfn <> 0 THEN 'FINALFUNC_MODIFY = '
                     || CASE a.aggfinalmodify WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END,
                'COMBINEFUNC = ' || NULLIF(a.aggcombinefn, 0)::pg_catalog.regproc::text,
                'SERIALFUNC = ' || NULLIF(a.aggserialfn, 0)::pg_catalog.regproc::text,
                'DESERIALFUNC = ' || NULLIF(a.aggdeserialfn, 0)::pg_catalog.regproc::text,
                'INITCOND = ' || pg_catalog.quote_literal(a.agginitval),
                'MSFUNC = ' || NULLIF(a.aggmtransfn, 0)::pg_catalog.regproc::text,
                'MINVFUNC = ' || NULLIF(a.aggminvtransfn, 0)::pg_catalog.regproc::text,
                CASE WHEN a.aggmtransfn <> 0 THEN 'MSTYPE = ' || pg_catalog.format_type(a.aggmtranstype, NULL) END,
                'MSSPACE = ' || NULLIF(a.aggmtransspace, 0),
                'MFINALFUNC = ' || NULLIF(a.aggmfinalfn, 0)::pg_catalog.regproc::text,
                CASE WHEN a.aggmfinalfn <> 0 AND a.aggmfinalextra THEN 'MFINALFUNC_EXTRA' END,
                CASE WHEN a.aggmfinalfn <> 0 THEN 'MFINALFUNC_MODIFY = '
                     || CASE a.aggmfinalmodify WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END,
                'MINITCOND = ' || pg_catalog.quote_literal(a.aggminitval),
                'SORTOP = OPERATOR(' || NULLIF(a.aggsortop, 0)::pg_catalog.regoper::text || ')',
                CASE p.proparallel WHEN 's' THEN 'PARALLEL = SAFE' WHEN 'r' THEN 'PARALLEL = RESTRICTED' END,
                CASE WHEN a.aggkind = 'h' THEN 'HYPOTHETICAL' END)
           || ')'                                                            AS definition
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_aggregate a ON a.aggfnoid = p.oid
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE p.prokind = 'a'
  AND p.oid >= 16384
  AND n.nspname = ANY (?::text[])
  AND NOT EXISTS (SELECT 1
                  FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                    AND d.objid = p.oid
                    AND d.deptype IN ('e', 'i'))
ORDER BY n.nspname, p.proname, 3
