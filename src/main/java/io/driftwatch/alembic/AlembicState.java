package io.driftwatch.alembic;

import java.util.List;

/**
 * What Alembic makes of a version table's rows ({@code inspect --current ROW...}).
 *
 * @param rows              each row as given, whether a script defines exactly that id, and what
 *                          Alembic would resolve it to otherwise (a unique id prefix or a branch label)
 * @param applied           every revision Alembic considers applied: the known rows and all their
 *                          ancestors along {@code down_revision} and {@code depends_on}, in upgrade order
 * @param pending           the revisions {@code alembic upgrade heads} applies from that state, in its
 *                          order (computed from {@link #pendingFrom()}); null when Alembic cannot say
 * @param pendingFrom       the rows {@link #pending()} starts from: all rows, or when Alembic refuses
 *                          them (an unknown id, overlapping rows), the known rows that are no ancestor of
 *                          another row
 * @param unknown           rows no script defines (exact id match)
 * @param overlapping       pairs of known rows where one is an ancestor of the other (Alembic refuses
 *                          to upgrade from such a table)
 * @param upgradeHeadsError what {@code alembic upgrade heads} says about all the rows, or null when it
 *                          would run
 * @param upgradeHeadError  what {@code alembic upgrade head} says (e.g. several heads), or null
 */
public record AlembicState(List<Row> rows, List<String> applied, List<String> pending, List<String> pendingFrom,
                           List<String> unknown, List<Overlap> overlapping, String upgradeHeadsError,
                           String upgradeHeadError) {

    /** Copies the lists ({@code pending} may be null). */
    public AlembicState {
        rows = List.copyOf(rows);
        applied = List.copyOf(applied);
        pending = pending == null ? null : List.copyOf(pending);
        pendingFrom = List.copyOf(pendingFrom);
        unknown = List.copyOf(unknown);
        overlapping = List.copyOf(overlapping);
    }

    /**
     * @param row        the version table's value
     * @param known      a script defines exactly this id
     * @param resolvesTo for an unknown row: the revisions Alembic's lookup would take it for, else null
     */
    public record Row(String row, boolean known, List<String> resolvesTo) {
        /** Copies the list. */
        public Row {
            resolvesTo = resolvesTo == null ? null : List.copyOf(resolvesTo);
        }
    }

    /**
     * @param row        a row that is an ancestor of another row
     * @param ancestorOf that other row
     */
    public record Overlap(String row, String ancestorOf) {
    }
}
