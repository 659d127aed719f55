package io.driftwatch.model;

import java.util.List;

/**
 * One line of the history table reports show: a local revision, a version-table row, or both matched
 * together, with the tool's own state word.
 *
 * @param id              revision id ({@link Revision#id()}), or the row's key when no revision matches
 *                        (Flyway {@code rank 7}, an unknown Alembic revision)
 * @param parents         parent ids (empty for Flyway rows, which form a line)
 * @param description     description, may be null
 * @param type            the tool's kind of migration ({@code SQL}, {@code JDBC}, {@code BASELINE} for
 *                        Flyway; {@code revision} or {@code merge} for Alembic), may be null
 * @param script          file name relative to its location, null when no file matches
 * @param state           the tool's state word: Flyway's {@code success}, {@code pending}, {@code failed},
 *                        {@code missing}, {@code future}, {@code out of order}, {@code ignored},
 *                        {@code outdated}, {@code baseline}, {@code below baseline}; Alembic's
 *                        {@code applied}, {@code current}, {@code pending}, {@code unknown}
 * @param rank            the row's position in the version table ({@code installed_rank}), null if none
 * @param appliedOn       when it was applied ({@code installed_on}, ISO-8601 text), null if unknown
 * @param appliedBy       who applied it ({@code installed_by}), null if unknown
 * @param localChecksum   the local file's checksum as the tool computes it, null when none
 * @param appliedChecksum the checksum stored in the version table, null when none
 */
public record HistoryEntry(String id, List<String> parents, String description, String type, String script,
                           String state, Integer rank, String appliedOn, String appliedBy, String localChecksum,
                           String appliedChecksum) {

    public HistoryEntry {
        parents = parents == null ? List.of() : List.copyOf(parents);
    }

    /** @return true when both checksums are known and differ */
    public boolean checksumMismatch() {
        return localChecksum != null && appliedChecksum != null && !localChecksum.equals(appliedChecksum);
    }
}
