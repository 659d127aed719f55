package io.driftwatch.flyway;

import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Rule;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns Flyway's history disagreements ({@link HistoryChecker}) into findings: one rule id per Flyway
 * state ({@code DW201}–{@code DW211}, see {@code docs/rules.md}), each at its default severity.
 */
public final class FlywayFindings {

    private FlywayFindings() {
    }

    /**
     * @param findings history disagreements from {@link HistoryChecker}
     * @return one finding per history finding, in the same order
     */
    public static List<Finding> of(List<HistoryFinding> findings) {
        List<Finding> out = new ArrayList<>(findings.size());
        for (HistoryFinding h : findings) {
            Rule rule = switch (h.kind()) {
                case CHECKSUM_MISMATCH -> Rule.DW201;
                case MISSING -> Rule.DW202;
                case PENDING -> Rule.DW203;
                case FAILED -> Rule.DW204;
                case IGNORED -> Rule.DW205;
                case OUT_OF_ORDER -> Rule.DW206;
                case FUTURE -> Rule.DW207;
                case OUTDATED -> Rule.DW208;
                case BASELINE -> Rule.DW209;
                case CANNOT_REPLAY -> Rule.DW210;
                case INVALID_ROW -> Rule.DW211;
            };
            out.add(new Finding(rule, rule.defaultSeverity(), h.ref(), h.expected(), h.actual(), h.message()));
        }
        return out;
    }
}
