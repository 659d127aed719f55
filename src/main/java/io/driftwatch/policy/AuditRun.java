package io.driftwatch.policy;

import io.driftwatch.flyway.FlywayHistoryReport;
import io.driftwatch.model.SchemaFilter;
import io.driftwatch.flyway.MigrationSet;
import io.driftwatch.model.SchemaModel;

/**
 * An audit with everything behind its result, for the commands that act on it (bridge, stamp).
 *
 * @param result        what the reports show
 * @param expected      the model replayed from the applied migrations
 * @param actual        the live model
 * @param scripts       the local scripts
 * @param history       the history check (findings, state table, scripts replayed); its
 *                      {@code toReplay} is what built {@code expected}
 * @param filter        the filter both models were read with
 * @param historySchema schema of the version table
 * @param historyTable  name of the version table
 */
public record AuditRun(AuditResult result, SchemaModel expected, SchemaModel actual, MigrationSet scripts,
                       FlywayHistoryReport history, SchemaFilter filter, String historySchema, String historyTable) {
}
