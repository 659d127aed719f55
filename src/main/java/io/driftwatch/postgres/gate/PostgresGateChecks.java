package io.driftwatch.postgres.gate;

import io.driftwatch.dialect.GateChecks;
import io.driftwatch.diff.Change;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.policy.Finding;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * PostgreSQL's gate checks: {@link MigrationHazards} sized by {@link RelationSizes}, and
 * {@link DataProbes}.
 *
 * @param thresholds what counts as a large table for hazards ({@code --large-table-rows})
 * @param probes     bounds of the data probes
 */
public record PostgresGateChecks(MigrationHazards.Thresholds thresholds, ProbeSettings probes) implements GateChecks {

    @Override
    public List<Finding> hazards(Connection live, String migration, String text, List<Change> changes)
            throws SQLException {
        var sizes = RelationSizes.read(live, MigrationHazards.tablesTouched(changes), thresholds.largeRows());
        return MigrationHazards.of(migration, text, changes, sizes, thresholds);
    }

    /** {@link ProbeVetting#vet} of what {@link DataProbes#subjects} would evaluate. */
    @Override
    public Vetting vet(Connection clone, String migration, List<Change> changes, SchemaModel actual, int liveMajor)
            throws SQLException {
        return ProbeVetting.vet(clone, DataProbes.subjects(migration, changes, actual, liveMajor), actual);
    }

    @Override
    public List<Finding> probes(Connection live, String migration, List<Change> changes, SchemaModel actual,
                                Vetting vetting) throws SQLException {
        return DataProbes.probe(live, migration, changes, actual, probes, (ProbeVetting) vetting);
    }
}
