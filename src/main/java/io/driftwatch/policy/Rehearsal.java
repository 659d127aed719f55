package io.driftwatch.policy;

import java.util.List;

/**
 * What {@code driftwatch gate}'s rehearsal did: the pending migrations run with their own tool in a shadow
 * clone of the live schema (structure only) and its version table, one outcome per migration, in
 * the order the tool's upgrade would run them ({@code flyway migrate}, {@code alembic upgrade heads}).
 *
 * @param shadow     the shadow database the rehearsal ran in, e.g. {@code dw_rehearsal_3f2a on local PostgreSQL 15.8}
 * @param migrations one step per pending migration
 * @param notes      informational lines (objects that could not be cloned, skipped probes, ...)
 */
public record Rehearsal(String shadow, List<Step> migrations, List<String> notes) {

    public Rehearsal {
        migrations = List.copyOf(migrations);
        notes = List.copyOf(notes);
    }

    /** How one pending migration fared. */
    public enum Outcome {
        /** applied cleanly in the clone */
        APPLIED,
        /** failed in the clone (see {@link Failure}) */
        FAILED,
        /** not run because an earlier migration failed (Flyway stops at the first failure) */
        NOT_RUN;

        /** @return lower-case word used in reports: {@code applied}, {@code failed}, {@code not run} */
        public String label() {
            return this == NOT_RUN ? "not run" : name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One pending migration.
     *
     * @param script      script name relative to its location, e.g. {@code V43__add_status.sql}
     * @param id          revision id, e.g. {@code V43}, {@code R views} or an Alembic revision
     * @param description the migration's description
     * @param outcome     applied, failed or not run
     * @param millis      time the migration took in the clone, milliseconds (0 when not run)
     * @param failure     why it failed, null unless {@code outcome} is {@link Outcome#FAILED}
     * @param changes     what it changed in the clone, one display line per change
     *                    (e.g. {@code AddIndex public.orders.orders_status_idx}); empty when not applied
     */
    public record Step(String script, String id, String description, Outcome outcome, long millis,
                       Failure failure, List<String> changes) {
        public Step {
            changes = List.copyOf(changes);
        }
    }

    /**
     * Why a pending migration failed in the rehearsal.
     *
     * @param message        the server's (or Flyway's) first message line, e.g.
     *                       {@code ERROR: relation "orders_status_idx" already exists}
     * @param sqlState       SQLState, null when Flyway failed before the server answered
     * @param line           line of the failing statement in the script, null when unknown
     * @param statement      the failing statement (trimmed to 500 characters), null when unknown
     * @param causedByDrift  true when the same migration applies cleanly on the migrations' own schema
     *                       (the replayed expected schema): the drift, not the migration, breaks it
     * @param explainedBy    drift findings that explain the failure, as {@code DW101 public.orders.orders_status_idx}
     * @param fix            what to do next, one line
     */
    public record Failure(String message, String sqlState, Integer line, String statement, boolean causedByDrift,
                          List<String> explainedBy, String fix) {
        public Failure {
            explainedBy = List.copyOf(explainedBy);
        }
    }

    /** @return true when some pending migration failed */
    public boolean failed() {
        return migrations.stream().anyMatch(s -> s.outcome() == Outcome.FAILED);
    }
}
