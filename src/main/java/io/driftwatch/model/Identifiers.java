package io.driftwatch.model;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * PostgreSQL identifier quoting: the one function every generated or displayed name goes through.
 *
 * <p>Rule (PostgreSQL's {@code quote_ident}): an identifier is left bare only when it is all
 * lower-case ASCII letters, digits and underscores, does not start with a digit, and is not a
 * keyword; otherwise it is wrapped in double quotes with embedded quotes doubled.
 */
public final class Identifiers {

    private static final Pattern BARE = Pattern.compile("[a-z_][a-z0-9_$]*");

    /**
     * Reserved and type/function-name keywords from PostgreSQL's keyword list (Appendix C) that
     * {@code quote_ident} quotes. Unreserved keywords are safe bare and are not listed.
     */
    private static final Set<String> KEYWORDS = Set.of(
            "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
            "authorization", "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast",
            "char", "character", "check", "coalesce", "collate", "collation", "column", "concurrently",
            "constraint", "create", "cross", "current_catalog", "current_date", "current_role",
            "current_schema", "current_time", "current_timestamp", "current_user", "dec", "decimal",
            "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "exists",
            "extract", "false", "fetch", "float", "for", "foreign", "freeze", "from", "full", "grant",
            "greatest", "group", "grouping", "having", "ilike", "in", "initially", "inner", "inout",
            "int", "integer", "intersect", "interval", "into", "is", "isnull", "join", "json",
            "json_array", "json_arrayagg", "json_object", "json_objectagg", "lateral", "leading",
            "least", "left", "like", "limit", "localtime", "localtimestamp", "national", "natural",
            "nchar", "none", "normalize", "not", "notnull", "null", "nullif", "numeric", "offset",
            "on", "only", "or", "order", "out", "outer", "overlaps", "overlay", "placing", "position",
            "precision", "primary", "real", "references", "returning", "right", "row", "select",
            "session_user", "setof", "similar", "smallint", "some", "substring", "symmetric",
            "system_user", "table", "tablesample", "then", "time", "timestamp", "to", "trailing",
            "treat", "trim", "true", "union", "unique", "user", "using", "values", "varchar",
            "variadic", "verbose", "when", "where", "window", "with", "xmlattributes", "xmlconcat",
            "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot",
            "xmlserialize", "xmltable");

    private Identifiers() {
    }

    /**
     * Quotes an identifier for PostgreSQL SQL text, always.
     *
     * @param name raw identifier (any characters; must not contain NUL)
     * @return {@code "name"} with embedded double quotes doubled
     * @throws IllegalArgumentException if {@code name} is empty or contains a NUL character
     */
    public static String quote(String name) {
        check(name);
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /**
     * Quotes an identifier only when PostgreSQL needs it (mirrors {@code quote_ident}).
     *
     * @param name raw identifier
     * @return the bare name when safe, else {@link #quote(String)}
     * @throws IllegalArgumentException if {@code name} is empty or contains a NUL character
     */
    public static String quoteIfNeeded(String name) {
        check(name);
        if (BARE.matcher(name).matches() && !KEYWORDS.contains(name.toLowerCase(Locale.ROOT))) {
            return name;
        }
        return quote(name);
    }

    /**
     * Quotes {@code schema.name}, each part as needed.
     *
     * @param schema schema name
     * @param name   object name
     * @return e.g. {@code public.orders} or {@code "Sales"."Order Lines"}
     */
    public static String qualified(String schema, String name) {
        return quoteIfNeeded(schema) + "." + quoteIfNeeded(name);
    }

    /**
     * Renders a SQL string literal with single quotes doubled (standard_conforming_strings on).
     *
     * @param value literal text, may contain anything but NUL
     * @return {@code 'value'}
     */
    public static String literal(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("string literal contains a NUL character");
        }
        return "'" + value.replace("'", "''") + "'";
    }

    private static void check(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("identifier is empty");
        }
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("identifier contains a NUL character");
        }
    }
}
