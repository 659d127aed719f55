package io.driftwatch.flyway.stamp;

import io.driftwatch.policy.AuditRun;

import java.util.List;

/**
 * A stamp that was planned (and verified unless {@code --no-verify}).
 *
 * @param audit        the audit it was planned from
 * @param plan         the plan and its script
 * @param present      script names whose objects were proven present and are recorded as applied
 * @param installedBy  the {@code installed_by} used
 * @param verification the verification, or null when skipped ({@code --no-verify}) or when there was nothing to stamp
 */
public record StampOutcome(AuditRun audit, StampPlan plan, List<String> present, String installedBy,
                           StampVerification verification) {

    public StampOutcome {
        present = List.copyOf(present);
    }
}
