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
 */
public record FlywayHistoryReport(List<HistoryFinding> findings, List<MigrationStatus> statuses,
                            List<ResolvedMigration> toReplay, List<ResolvedMigration> allScripts) {

    public FlywayHistoryReport {
        findings = List.copyOf(findings);
        statuses = List.copyOf(statuses);
        toReplay = List.copyOf(toReplay);
        allScripts = List.copyOf(allScripts);
    }
}
