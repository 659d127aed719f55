package io.driftwatch.model;


import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which objects a {@code CatalogReader} reads. Immutable; the exclude globs are compiled once.
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
    private final boolean withPrivileges;
    private final boolean withOwners;
    private final Map<String, String> roleMap;

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
        this.withPrivileges = false;
        this.withOwners = false;
        this.roleMap = Map.of();
    }

    private SchemaFilter(SchemaFilter base, boolean withPrivileges, boolean withOwners, Map<String, String> roleMap) {
        this.schemas = base.schemas;
        this.excludes = base.excludes;
        this.patterns = base.patterns;
        this.historySchema = base.historySchema;
        this.historyTable = base.historyTable;
        this.withPrivileges = withPrivileges;
        this.withOwners = withOwners;
        this.roleMap = Map.copyOf(roleMap);
    }

    /**
     * Role-dependent parts of the catalog are opt-in because roles differ between environments
     * ({@code --with-privileges}, {@code --with-owners}, {@code --role-map}).
     *
     * @param privileges read GRANTs (schemas, tables, columns, sequences, routines, types) and default
     *                   privileges
     * @param owners     read owners of schemas, relations, sequences, types and routines
     * @param roleMap    role name as read → role name reported, e.g. {@code prod_app → app}; applied to
     *                   owners, grantees, grantors of default privileges and policy roles
     * @return a copy of this filter with those settings
     */
    public SchemaFilter withAccess(boolean privileges, boolean owners, Map<String, String> roleMap) {
        return new SchemaFilter(this, privileges, owners, roleMap);
    }

    /** @return whether privileges ({@code GRANT}s, default privileges) are read */
    public boolean withPrivileges() {
        return withPrivileges;
    }

    /** @return whether owners are read */
    public boolean withOwners() {
        return withOwners;
    }

    /** @return role renames applied to what is read, never null */
    public Map<String, String> roleMap() {
        return roleMap;
    }

    /**
     * @param role a role name as read from the catalog (or {@code PUBLIC})
     * @return the name it is reported under: its {@link #roleMap()} entry, else itself
     */
    public String mapRole(String role) {
        return role == null ? null : roleMap.getOrDefault(role, role);
    }

    /**
     * @param key   an attribute name of a catalog object
     * @param value its value, may be null
     * @return the value with roles renamed by {@link #roleMap()} when the attribute holds roles:
     *         {@code owner}, {@code grantee}, names ending {@code _role}, and {@code roles} (a
     *         comma-and-space separated list, re-sorted after renaming); other values unchanged
     */
    public String mapRoleAttribute(String key, String value) {
        if (value == null || roleMap.isEmpty()) {
            return value;
        }
        if (key.equals("roles")) {
            return java.util.Arrays.stream(value.split(", ")).map(this::mapRole).sorted()
                    .collect(java.util.stream.Collectors.joining(", "));
        }
        return key.equals("owner") || key.equals("grantee") || key.endsWith("_role") ? mapRole(value) : value;
    }

    /**
     * @param suffix the part of an attached object's name after its target, e.g. {@code to prod_app}
     *               or {@code for prod_owner in public on tables to prod_app}
     * @return it with the word after each {@code to} / {@code for} renamed by {@link #roleMap()}
     */
    public String mapRolesInSuffix(String suffix) {
        if (roleMap.isEmpty() || suffix == null) {
            return suffix;
        }
        String[] words = suffix.split(" ");
        for (int i = 1; i < words.length; i++) {
            if (words[i - 1].equals("to") || words[i - 1].equals("for")) {
                words[i] = mapRole(words[i]);
            }
        }
        return String.join(" ", words);
    }

    /**
     * @param u an object the reader does not model
     * @return whether it is kept: database-wide ones always, others as {@link #keeps(ObjectRef)} keeps
     *         {@code schema.name} (or {@code schema.table.name} for a rule, with its table)
     */
    public boolean keeps(io.driftwatch.model.UnmodelledObject u) {
        return u.schema() == null || keeps(new ObjectRef(ObjectKind.UNMODELLED, u.schema(), u.parent(), u.name()));
    }

    /**
     * Whether an object of any kind is kept: database-wide objects (no schema) always, schemas by
     * {@link #schemas()} and excludes; others when their schema is kept, they do not belong to the
     * version table, and neither {@code schema.name}, {@code schema.parent} nor
     * {@code schema.parent.name} is excluded (routines match by name without their arguments).
     *
     * @param ref the object's identity (for comments, privileges and owners: their target)
     * @return true to keep it
     */
    public boolean keeps(ObjectRef ref) {
        if (ref.schema() == null) {
            return ref.kind() != ObjectKind.SCHEMA
                    || ((schemas.isEmpty() || schemas.contains(ref.name())) && !isExcluded(ref.name()));
        }
        if ((!schemas.isEmpty() && !schemas.contains(ref.schema())) || isExcluded(ref.schema())) {
            return false;
        }
        String name = ref.name();
        if (ref.kind().routine() && name.indexOf('(') > 0) {
            name = name.substring(0, name.indexOf('('));
        }
        if (ref.parent() != null) {
            return !isHistoryTable(ref.schema(), ref.parent())
                    && !isExcluded(ref.schema() + "." + ref.parent())
                    && !isExcluded(ref.schema() + "." + ref.parent() + "." + name);
        }
        return !isHistoryTable(ref.schema(), name) && !isExcluded(ref.schema() + "." + name);
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
     * @return the pattern (anchored: it must match the whole name)
     */
    public static Pattern compile(String glob) {
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
                + historySchema + "." + historyTable + (withPrivileges ? ", privileges" : "")
                + (withOwners ? ", owners" : "") + (roleMap.isEmpty() ? "" : ", roleMap=" + roleMap) + "]";
    }
}
