package io.driftwatch.plan;

import io.driftwatch.model.ObjectRef;

import java.util.List;

/**
 * One generated, idempotent SQL statement of a plan.
 *
 * @param sql           executable SQL, ending in {@code ;}: safe to run twice ({@code IF [NOT] EXISTS},
 *                      or a {@code DO $$ ... $$} block that checks the catalog first); every
 *                      identifier quoted through {@link io.driftwatch.model.Identifiers}
 * @param object        the object it changes
 * @param hazards       what can go wrong, possibly empty
 * @param transactional false when it cannot run inside a transaction block
 *                      ({@code CREATE INDEX CONCURRENTLY})
 * @param destructive   true when it drops data or an object holding data; such statements are
 *                      written commented out unless destructive changes are allowed
 * @param why           one human line: the difference it fixes
 */
public record Statement(String sql, ObjectRef object, List<Hazard> hazards, boolean transactional,
                        boolean destructive, String why) {

    public Statement {
        hazards = List.copyOf(hazards);
    }
}
