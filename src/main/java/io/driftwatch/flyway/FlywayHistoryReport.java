package io.driftwatch.flyway;


import java.util.List;

/**
 * Result of {@link HistoryChecker#check}: the findings, the state table, and which local scripts
 * the expected schema must be replayed from.
 *
 * @param findings  disagreements, ordered by version then rank
 * @param statuses  one line per migration (local or applied), in Flyway's {@code info} order
 * @param toReplay  local scripts the history says are applied (versioned in version order, then
 *                  repeatables), i.e. what the shadow must replay to build the expected model
 * @param allScripts every local script, in replay order (versioned then repeatables)
 * @param replayRefused null when {@code toReplay} is what Flyway counts as applied; else one line saying why
 *                  what is applied cannot be known (rows Flyway cannot read, or a NULL {@code success} on a
 *                  migration that has a local script), naming each row by {@code installed_rank} and column:
 *                  the expected schema must not be built from {@code toReplay} then
 */
public record FlywayHistoryReport(List<HistoryFinding> findings, List<MigrationStatus> statuses,
                            List<ResolvedMigration> toReplay, List<ResolvedMigration> allScripts,
                            String replayRefused) {

    public FlywayHistoryReport {
        findings = List.copyOf(findings);
        statuses = List.copyOf(statuses);
        toReplay = List.copyOf(toReplay);
        allScripts = List.copyOf(allScripts);
    }

    /** A report whose replay may proceed ({@link #replayRefused()} null). */
    public FlywayHistoryReport(List<HistoryFinding> findings, List<MigrationStatus> statuses,
                         List<ResolvedMigration> toReplay, List<ResolvedMigration> allScripts) {
        this(findings, statuses, toReplay, allScripts, null);
    }
}
