package io.driftwatch.report;

import java.time.Instant;
import java.util.List;

/**
 * What {@code driftwatch diff --format html} shows: two schemas and the changes from one to the other.
 *
 * @param toolVersion Driftwatch version
 * @param generatedAt when (UTC)
 * @param fromSource  the {@code --from} source as displayed (password masked)
 * @param fromServer  server version the {@code --from} model was read from, may be null
 * @param toSource    the {@code --to} source as displayed (password masked)
 * @param toServer    server version of the {@code --to} model, may be null
 * @param changes     the changes, in the differ's order
 */
public record DiffPage(String toolVersion, Instant generatedAt, String fromSource, String fromServer,
                       String toSource, String toServer, List<Row> changes) {

    public DiffPage {
        changes = List.copyOf(changes);
    }

    /**
     * One change.
     *
     * @param action {@code add} (only in {@code --to}), {@code drop} (only in {@code --from}) or {@code modify}
     * @param kind   object kind label, e.g. {@code index}
     * @param object qualified object name
     * @param detail one line for a modification ({@code default 1 → 2}), may be null
     * @param from   the {@code --from} side as SQL-ish text, null when absent there
     * @param to     the {@code --to} side, null when absent there
     */
    public record Row(String action, String kind, String object, String detail, String from, String to) {
    }
}
