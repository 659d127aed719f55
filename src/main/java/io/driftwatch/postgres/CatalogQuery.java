package io.driftwatch.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The set-based {@code pg_catalog} queries of {@link PostgresCatalogReader}, one per object kind,
 * each kept as a {@code .sql} resource beside this class
 * ({@code /io/driftwatch/postgres/<kind>.sql}).
 *
 * <p>Every query takes the schema names to read as a {@code text[]} parameter
 * ({@code ?::text[]}): {@link #SCHEMAS} takes the requested names twice (empty array: every
 * non-system schema), all others once (the names {@link #SCHEMAS} returned). All references are
 * schema-qualified with {@code pg_catalog}, so they run under any {@code search_path}.
 * Idea from schemainspect ({@code djrobstep/migra}, {@code schemainspect/pg/sql/*.sql}).
 */
enum CatalogQuery {
    SCHEMAS("schemas.sql", Use.MODEL),
    TABLES("tables.sql", Use.MODEL),
    COLUMNS("columns.sql", Use.MODEL),
    CONSTRAINTS("constraints.sql", Use.MODEL),
    INDEXES("indexes.sql", Use.MODEL),
    VIEWS("views.sql", Use.MODEL),
    SEQUENCES("sequences.sql", Use.MODEL),
    ENUMS("enums.sql", Use.MODEL),
    /** objects in the schemas (and database-wide) that no other query models: "not audited" */
    UNMODELLED("unmodelled.sql", Use.MODEL),
    /** row level security policies */
    POLICIES("policies.sql", Use.OBJECTS),
    /** functions and procedures (pg_proc prokind 'f' / 'p') */
    ROUTINES("routines.sql", Use.OBJECTS),
    /** aggregate functions (pg_proc prokind 'a' with pg_aggregate) */
    AGGREGATES("aggregates.sql", Use.OBJECTS),
    /** triggers on tables, partitioned tables and views (not internal, not partition clones) */
    TRIGGERS("triggers.sql", Use.OBJECTS),
    /** event triggers (database-wide) */
    EVENT_TRIGGERS("event_triggers.sql", Use.OBJECTS),
    /** comments (COMMENT ON) on every modelled kind */
    COMMENTS("comments.sql", Use.OBJECTS),
    /** GRANTed privileges, one row per object and grantee ({@code --with-privileges}) */
    PRIVILEGES("privileges.sql", Use.PRIVILEGES),
    /** ALTER DEFAULT PRIVILEGES entries ({@code --with-privileges}) */
    DEFAULT_PRIVILEGES("default_privileges.sql", Use.PRIVILEGES),
    /** owners ({@code --with-owners}) */
    OWNERS("owners.sql", Use.OWNERS),
    /** indexes of materialized views */
    MATVIEW_INDEXES("matview_indexes.sql", Use.OBJECTS),
    /** extensions (database-wide), built-in ones left out */
    EXTENSIONS("extensions.sql", Use.OBJECTS),
    /** user-created collations */
    COLLATIONS("collations.sql", Use.OBJECTS),
    /** domains with their checks */
    DOMAINS("domains.sql", Use.OBJECTS),
    /** stand-alone composite types ({@code CREATE TYPE ... AS (...)}) */
    COMPOSITE_TYPES("composite_types.sql", Use.OBJECTS),
    /** range types (their multirange types come with them) */
    RANGE_TYPES("range_types.sql", Use.OBJECTS);

    /**
     * How {@link PostgresCatalogReader} uses a query: {@link #MODEL} queries have their own row
     * mapping; the others return {@link io.driftwatch.model.CatalogObject} rows in the generic
     * column layout documented on {@link PostgresCatalogReader} and run always ({@link #OBJECTS}) or
     * only when the filter asks for privileges or owners.
     */
    enum Use {
        MODEL, OBJECTS, PRIVILEGES, OWNERS
    }

    private final String resource;
    private final Use use;
    private final String sql;

    CatalogQuery(String resource, Use use) {
        this.resource = resource;
        this.use = use;
        this.sql = load(resource);
    }

    /** @return how the reader uses this query */
    Use use() {
        return use;
    }

    /** @return the query text, as stored in the resource */
    String sql() {
        return sql;
    }

    /** @return the resource file name, e.g. {@code tables.sql} (for error messages) */
    String resource() {
        return resource;
    }

    private static String load(String resource) {
        try (InputStream in = CatalogQuery.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource "
                        + CatalogQuery.class.getPackageName().replace('.', '/') + "/" + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
