package io.driftwatch.flyway.stamp;

import java.util.List;

/**
 * A stamp: what it changes in the version table, the guard, and the script.
 *
 * @param actions   the changes, in the order the script makes them
 * @param guardHash {@link HistoryHash} of the table the plan was made from; the script aborts when the
 *                  table no longer hashes to it
 * @param sql       the complete script ({@code BEGIN;} guard, actions, {@code COMMIT;}); empty when there
 *                  are no actions
 * @param leftAlone one line per disagreement the stamp deliberately does not touch (pending scripts whose
 *                  objects are absent, missing scripts without {@code --forget-missing}, future rows, ...)
 * @param statements the statements {@code sql} runs, in order, each with the comment and blank lines before it
 *                   (what psql must send, see {@link io.driftwatch.reconcile.ScriptProof}); empty with no actions
 */
public record StampPlan(List<StampAction> actions, String guardHash, String sql, List<String> leftAlone,
                        List<io.driftwatch.reconcile.ScriptProof.Expected> statements) {

    public StampPlan {
        actions = List.copyOf(actions);
        leftAlone = List.copyOf(leftAlone);
        statements = List.copyOf(statements);
    }

    /** @return true when the history already agrees with the scripts (as far as a stamp can make it) */
    public boolean isEmpty() {
        return actions.isEmpty();
    }
}
