package io.driftwatch.tool;

import io.driftwatch.model.HistoryState;
import io.driftwatch.policy.Finding;

import java.util.List;

/**
 * A migration tool's answer to "where does the database stand?", in the pipeline's terms.
 *
 * @param findings history findings in the tool's vocabulary (stable rule ids, e.g. Flyway's
 *                 {@code DW201 checksum-mismatch}, Alembic's {@code DW221 unknown-revision})
 * @param state    the version table as reports show it
 * @param toReplay ids of the revisions the version table says are applied, in an order the tool can
 *                 replay them: what builds the expected schema
 * @param pending  ids the tool's upgrade would apply next, in its order ({@code flyway migrate},
 *                 {@code alembic upgrade heads}); what the gate rehearses
 * @param noExpectedSchema null when {@code toReplay} builds the expected schema; else one line saying why
 *                 no expected schema exists (Alembic's version table names no known revision, the
 *                 revision graph is broken): the audit then compares no schema and says so
 */
public record HistoryReport(List<Finding> findings, HistoryState state, List<String> toReplay,
                            List<String> pending, String noExpectedSchema) {

    public HistoryReport {
        findings = List.copyOf(findings);
        toReplay = List.copyOf(toReplay);
        pending = List.copyOf(pending);
    }

    /** A report whose {@code toReplay} builds the expected schema. */
    public HistoryReport(List<Finding> findings, HistoryState state, List<String> toReplay, List<String> pending) {
        this(findings, state, toReplay, pending, null);
    }
}
