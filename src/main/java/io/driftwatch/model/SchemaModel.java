package io.driftwatch.model;

import java.util.Comparator;
import java.util.List;

/**
 * One database's schema as Driftwatch sees it: an immutable value, produced by a
 * {@code CatalogReader} and compared by {@code SchemaDiffer}.
 *
 * <p>All lists are sorted by (schema, name) so two reads of the same database are equal values.
 *
 * @param serverVersion {@code server_version} of the source, e.g. {@code 15.18}; null when unknown
 * @param schemas       names of the schemas read (after filters), sorted
 * @param tables        tables and partitioned tables
 * @param views         views and materialized views
 * @param sequences     free-standing and serial sequences (not identity sequences)
 * @param enums         enum types
 * @param objects       every other modelled kind ({@link CatalogObject}), sorted by identity
 * @param notAudited    objects the reader met but does not model, sorted; reported, never compared
 */
public record SchemaModel(String serverVersion, List<String> schemas, List<Table> tables,
                          List<View> views, List<Sequence> sequences, List<EnumType> enums,
                          List<CatalogObject> objects, List<UnmodelledObject> notAudited) {

    private static final java.util.regex.Pattern LEADING_NUMBER = java.util.regex.Pattern.compile("^(\\d+)");

    public SchemaModel {
        schemas = schemas.stream().sorted().toList();
        tables = sorted(tables, Comparator.comparing(Table::schema).thenComparing(Table::name));
        views = sorted(views, Comparator.comparing(View::schema).thenComparing(View::name));
        sequences = sorted(sequences, Comparator.comparing(Sequence::schema).thenComparing(Sequence::name));
        enums = sorted(enums, Comparator.comparing(EnumType::schema).thenComparing(EnumType::name));
        objects = sorted(objects, Comparator.comparing(CatalogObject::ref));
        notAudited = sorted(notAudited, Comparator.naturalOrder());
    }

    /** A model of tables, views, sequences and enums only (no other kinds, nothing unmodelled). */
    public SchemaModel(String serverVersion, List<String> schemas, List<Table> tables,
                       List<View> views, List<Sequence> sequences, List<EnumType> enums) {
        this(serverVersion, schemas, tables, views, sequences, enums, List.of(), List.of());
    }

    /**
     * @param kind a kind modelled as {@link CatalogObject}
     * @return the objects of that kind, in identity order
     */
    public List<CatalogObject> objects(ObjectKind kind) {
        return objects.stream().filter(o -> o.kind() == kind).toList();
    }

    /** @return a model with no objects and no version (the "empty database"). */
    public static SchemaModel empty() {
        return new SchemaModel(null, List.of(), List.of(), List.of(), List.of(), List.of());
    }

    /**
     * @param version a {@code server_version} text
     * @return this model with that server version
     */
    public SchemaModel withServerVersion(String version) {
        return new SchemaModel(version, schemas, tables, views, sequences, enums, objects, notAudited);
    }

    /** @return the major version of {@link #serverVersion()} (15 for {@code 15.18 (Debian ...)}), or null */
    public Integer serverMajor() {
        return majorOf(serverVersion);
    }

    /**
     * @param serverVersion PostgreSQL's {@code server_version} text, e.g. {@code 15.18 (Debian ...)} or
     *                      {@code 17devel}; may be null
     * @return its leading number (the major version since PostgreSQL 10), or null when there is none
     */
    public static Integer majorOf(String serverVersion) {
        if (serverVersion == null) {
            return null;
        }
        java.util.regex.Matcher m = LEADING_NUMBER.matcher(serverVersion.strip());
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }

    /** @return number of top-level objects (tables, views, sequences, enums and other kinds) */
    public int objectCount() {
        return tables.size() + views.size() + sequences.size() + enums.size() + objects.size();
    }

    private static <T> List<T> sorted(List<T> in, Comparator<T> order) {
        return in.stream().sorted(order).toList();
    }
}
