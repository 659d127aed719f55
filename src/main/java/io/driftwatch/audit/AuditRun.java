package io.driftwatch.audit;

import io.driftwatch.diff.HistoryReport;
import io.driftwatch.introspect.SchemaFilter;
import io.driftwatch.model.MigrationSet;
import io.driftwatch.model.SchemaModel;

/**
 * An audit with everything behind its result, for the commands that act on it (bridge, stamp).
 *
 * @param result        what the reports show
 * @param expected      the model replayed from the applied migrations; null when the schema was not compared
 *                      ({@code history.replayRefused()} says why): nothing may be planned from it then
 * @param actual        the live model
 * @param scripts       the local scripts
 * @param history       the history check (findings, state table, scripts replayed); its
 *                      {@code toReplay} is what built {@code expected}
 * @param filter        the filter both models were read with
 * @param historySchema schema of the version table
 * @param historyTable  name of the version table
 */
public record AuditRun(AuditResult result, SchemaModel expected, SchemaModel actual, MigrationSet scripts,
                       HistoryReport history, SchemaFilter filter, String historySchema, String historyTable) {

    /** @return true when the schema was compared ({@link #expected()} is there) */
    public boolean schemaCompared() {
        return expected != null;
    }
}
