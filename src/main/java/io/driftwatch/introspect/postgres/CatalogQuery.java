package io.driftwatch.introspect.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The set-based {@code pg_catalog} queries of {@link PostgresCatalogReader}, one per object kind,
 * each kept as a {@code .sql} resource beside this class
 * ({@code /io/driftwatch/introspect/postgres/<kind>.sql}).
 *
 * <p>Every query takes the schema names to read as a {@code text[]} parameter
 * ({@code ?::text[]}): {@link #SCHEMAS} takes the requested names twice (empty array: every
 * non-system schema), all others once (the names {@link #SCHEMAS} returned). All references are
 * schema-qualified with {@code pg_catalog}, so they run under any {@code search_path}.
 * Idea from schemainspect ({@code djrobstep/migra}, {@code schemainspect/pg/sql/*.sql}).
 */
enum CatalogQuery {
    SCHEMAS("schemas.sql"),
    TABLES("tables.sql"),
    COLUMNS("columns.sql"),
    CONSTRAINTS("constraints.sql"),
    INDEXES("indexes.sql"),
    VIEWS("views.sql"),
    SEQUENCES("sequences.sql"),
    ENUMS("enums.sql");

    private final String resource;
    private final String sql;

    CatalogQuery(String resource) {
        this.resource = resource;
        this.sql = load(resource);
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
