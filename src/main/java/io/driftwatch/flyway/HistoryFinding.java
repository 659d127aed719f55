package io.driftwatch.flyway;

import io.driftwatch.model.ObjectRef;

/**
 * A disagreement between the version table and the migration scripts, in Flyway's vocabulary.
 *
 * @param kind     what is wrong
 * @param ref      the migration concerned ({@link ObjectRef#migration(String)}: {@code V3},
 *                 {@code R views}, or {@code rank 7} for a row that has no usable version)
 * @param script   script name (from the file or the history row), may be null
 * @param expected what the scripts say (e.g. the local checksum), may be null
 * @param actual   what the history says (e.g. the stored checksum), may be null
 * @param message  one human line, e.g. {@code V3 was edited after it was applied}
 */
public record HistoryFinding(Kind kind, ObjectRef ref, String script, String expected, String actual,
                             String message) {

    /** Flyway's migration states that are findings (see {@code MigrationState}). */
    public enum Kind {
        /** applied checksum differs from the script's checksum */
        CHECKSUM_MISMATCH,
        /** applied (successfully) but no script found locally */
        MISSING,
        /** script not applied yet, newer than the latest applied version */
        PENDING,
        /** script not applied, older than the latest applied version: Flyway ignores it unless outOfOrder */
        IGNORED,
        /** applied after a newer version had been applied */
        OUT_OF_ORDER,
        /** row with {@code success = false} */
        FAILED,
        /** applied version newer than any local script */
        FUTURE,
        /** repeatable script whose checksum changed since its last application */
        OUTDATED,
        /** a baseline row */
        BASELINE,
        /** applied by a Java migration: cannot be replayed into the shadow */
        CANNOT_REPLAY,
        /** a row that breaks Flyway's rules (bad type or version, a NULL in a NOT NULL column, a duplicate) */
        INVALID_ROW
    }
}
