package io.driftwatch.policy;

import io.driftwatch.model.RevisionGraph;
import io.driftwatch.model.SchemaFilter;
import io.driftwatch.model.SchemaModel;

import java.util.List;

/**
 * An audit with everything behind its result, for the commands that act on it (bridge, stamp, gate).
 *
 * @param result       what the reports show
 * @param expected     the model replayed from the applied migrations; null when the schema was not compared
 *                     ({@link AuditResult.Expected#notCompared()} says why): nothing may be planned from it then
 * @param actual       the live model
 * @param graph        the local revisions (empty when audited against a snapshot only)
 * @param toReplay     ids of the revisions that built {@code expected}
 * @param pending      ids the tool would apply next, in its order
 * @param filter       the filter both models were read with
 * @param historySchema schema of the version table
 * @param historyTable  name of the version table
 */
public record AuditRun(AuditResult result, SchemaModel expected, SchemaModel actual, RevisionGraph graph,
                       List<String> toReplay, List<String> pending, SchemaFilter filter, String historySchema,
                       String historyTable) {

    public AuditRun {
        toReplay = List.copyOf(toReplay);
        pending = List.copyOf(pending);
    }

    /** @return true when the schema was compared ({@link #expected()} is there) */
    public boolean schemaCompared() {
        return expected != null;
    }
}
