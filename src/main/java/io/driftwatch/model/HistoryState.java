package io.driftwatch.model;

import java.util.List;

/**
 * The version table as reports show it, whatever the tool: which tool, which table, where the
 * database stands and one {@link HistoryEntry} per migration.
 *
 * @param tool         the tool's name ({@code flyway}, {@code alembic}, {@code django}); null when no
 *                     migrations were given (an audit against a snapshot)
 * @param versionTable qualified version table, e.g. {@code public.flyway_schema_history}, or null
 * @param heads        the newest revisions of the local graph (Flyway: the newest version; Alembic: its heads)
 * @param current      what the version table says the database is at (Flyway: the newest applied
 *                     version; Alembic: the {@code version_num} rows)
 * @param entries      one line per migration, in the tool's display order ({@code flyway info},
 *                     {@code alembic history})
 */
public record HistoryState(String tool, String versionTable, List<String> heads, List<String> current,
                           List<HistoryEntry> entries) {

    public HistoryState {
        heads = List.copyOf(heads);
        current = List.copyOf(current);
        entries = List.copyOf(entries);
    }

    /** @return a state with no tool and no entries (no migrations were given) */
    public static HistoryState none() {
        return new HistoryState(null, null, List.of(), List.of(), List.of());
    }
}
