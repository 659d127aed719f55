package io.driftwatch.dialect;

import io.driftwatch.diff.Change;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.policy.Finding;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The engine-specific steps of {@code driftwatch gate} after a pending migration applied in the
 * rehearsal: its hazards at production's real sizes and read-only data probes against production.
 * Both only read production, in read-only transactions with timeouts; the engine's wing decides what
 * is safe to evaluate there.
 */
public interface GateChecks {

    /**
     * Decides, in the rehearsal clone right after a pending migration applied there, which of the
     * probes' expressions that come from the migration may be evaluated on production (only built-in,
     * side-effect-free ones). The verdicts travel to {@link #probes}; without them nothing from the
     * migration runs on production.
     *
     * @param clone     a connection to the clone (a shadow database)
     * @param migration the migration's script name
     * @param changes   what it changed in the clone
     * @param actual    the live model
     * @param liveMajor production's major version
     * @return the verdicts, opaque to the pipeline
     * @throws SQLException when the clone fails
     */
    Vetting vet(Connection clone, String migration, List<Change> changes, SchemaModel actual, int liveMajor)
            throws SQLException;

    /** The verdicts of {@link #vet}: which probe expressions may run on production. */
    interface Vetting {
    }

    /**
     * @param live      a production connection
     * @param migration the migration's script name, for messages
     * @param text      the migration's text (to find data changes and explicit locks)
     * @param changes   what the migration changed in the rehearsal clone
     * @return hazard findings (table rewrites, exclusive locks, blocking index builds, data loss)
     * @throws SQLException when production refuses a read
     */
    List<Finding> hazards(Connection live, String migration, String text, List<Change> changes) throws SQLException;

    /**
     * @param live      a production connection
     * @param migration the migration's script name, for messages
     * @param changes   what the migration changed in the rehearsal clone
     * @param actual    the live model
     * @param vetting   the verdicts {@link #vet} gave for this migration in the clone
     * @return probe findings (rows that would make the migration fail), and findings for probes that could not run
     * @throws SQLException when production fails otherwise
     */
    List<Finding> probes(Connection live, String migration, List<Change> changes, SchemaModel actual, Vetting vetting)
            throws SQLException;
}
