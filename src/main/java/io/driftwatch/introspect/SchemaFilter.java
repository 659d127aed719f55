package io.driftwatch.introspect;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which objects a {@link CatalogReader} reads. Immutable; the exclude globs are compiled once.
 *
 * <p>Globs match unquoted dotted names ({@code schema.name} for relations, sequences and types;
 * {@code schema.table.child} for columns, constraints and indexes): {@code **} matches anything,
 * {@code *} anything but a dot, {@code ?} one character but a dot, everything else literally.
 */
public final class SchemaFilter {

    private final List<String> schemas;
    private final List<String> excludes;
    private final List<Pattern> patterns;
    private final String historySchema;
    private final String historyTable;

    /**
     * @param schemas        schema names to read; empty means every non-system schema (all but
     *                       {@code pg_catalog}, {@code information_schema}, {@code pg_toast*},
     *                       {@code pg_temp*})
     * @param excludes       glob patterns over qualified names, e.g. {@code public.tmp_*}, {@code audit.**}
     * @param historySchema  schema of the version table, never reported (null: any schema)
     * @param historyTable   name of the version table, never reported (null: none)
     */
    public SchemaFilter(List<String> schemas, List<String> excludes, String historySchema, String historyTable) {
        this.schemas = List.copyOf(schemas);
        this.excludes = List.copyOf(excludes);
        this.patterns = this.excludes.stream().map(SchemaFilter::compile).toList();
        this.historySchema = historySchema;
        this.historyTable = historyTable;
    }

    /** @return a filter that reads every non-system schema and excludes nothing */
    public static SchemaFilter all() {
        return new SchemaFilter(List.of(), List.of(), null, null);
    }

    /** @return schema names to read; empty means all non-system schemas */
    public List<String> schemas() {
        return schemas;
    }

    /** @return the exclude globs as given */
    public List<String> excludes() {
        return excludes;
    }

    /** @return schema of the version table, or null */
    public String historySchema() {
        return historySchema;
    }

    /** @return name of the version table, or null */
    public String historyTable() {
        return historyTable;
    }

    /**
     * @param qualifiedName unquoted dotted name, e.g. {@code public.orders}
     * @return true when an exclude glob matches it
     */
    public boolean isExcluded(String qualifiedName) {
        for (Pattern p : patterns) {
            if (p.matcher(qualifiedName).matches()) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return true when {@code schema.table} is the Flyway version table
     */
    public boolean isHistoryTable(String schema, String table) {
        return historyTable != null && historyTable.equals(table)
                && (historySchema == null || historySchema.equals(schema));
    }

    /**
     * Compiles a glob (see class doc) into an anchored regular expression.
     *
     * @param glob e.g. {@code public.tmp_*}
     * @return the pattern
     */
    static Pattern compile(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char ch = glob.charAt(i);
            if (ch == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (ch == '*') {
                re.append("[^.]*");
            } else if (ch == '?') {
                re.append("[^.]");
            } else {
                re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    @Override
    public String toString() {
        return "SchemaFilter[schemas=" + schemas + ", excludes=" + excludes + ", history="
                + historySchema + "." + historyTable + "]";
    }
}
