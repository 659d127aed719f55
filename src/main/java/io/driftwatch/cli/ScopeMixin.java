package io.driftwatch.cli;

import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --schemas} and {@code --exclude}: which objects a command reads; {@code --with-privileges},
 * {@code --with-owners} and {@code --role-map}: whether role-dependent parts of the catalog are read
 * and under which role names (see {@link io.driftwatch.model.SchemaFilter#withAccess}).
 */
public final class ScopeMixin {

    @Option(names = "--schemas", split = ",", paramLabel = "SCHEMA",
            description = "Schemas to read, comma-separated. Default: every non-system schema.")
    List<String> schemas = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB",
            description = "Leave out objects whose qualified name matches, e.g. 'public.tmp_*' or 'audit.**' "
                    + "(* stays within one name, ** crosses dots); repeatable.")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--with-privileges",
            description = "Also compare privileges: GRANTs on schemas, tables, columns, sequences, routines and "
                    + "types, and ALTER DEFAULT PRIVILEGES (off by default: roles differ between environments).")
    boolean withPrivileges;

    @Option(names = "--with-owners",
            description = "Also compare object owners (off by default: owners differ between environments).")
    boolean withOwners;

    @Option(names = "--role-map", split = ",", paramLabel = "FROM=TO",
            description = "Report role FROM under the name TO wherever a role is read (owners, grantees, policy "
                    + "roles), e.g. --role-map prod_app=app,prod_ro=readonly; repeatable.")
    List<String> roleMap = new ArrayList<>();

    /**
     * @return {@code --role-map} as a map (FROM → TO), in the order given
     * @throws IllegalArgumentException for an entry that is not {@code FROM=TO} with both names
     *                                  non-empty, or a FROM given twice with different TOs
     */
    Map<String, String> roleMap() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String entry : roleMap) {
            int eq = entry.indexOf('=');
            String from = eq < 0 ? "" : entry.substring(0, eq).strip();
            String to = eq < 0 ? "" : entry.substring(eq + 1).strip();
            if (from.isEmpty() || to.isEmpty() || to.indexOf('=') >= 0) {
                throw new IllegalArgumentException("--role-map: expected FROM=TO (e.g. prod_app=app), got '"
                        + entry + "'");
            }
            String previous = out.putIfAbsent(from, to);
            if (previous != null && !previous.equals(to)) {
                throw new IllegalArgumentException("--role-map: role '" + from + "' mapped to both '" + previous
                        + "' and '" + to + "'");
            }
        }
        return out;
    }
}
