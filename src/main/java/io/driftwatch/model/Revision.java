package io.driftwatch.model;

import java.util.List;
import java.util.Objects;

/**
 * One migration of any migration tool: a node of the {@link RevisionGraph}. What the pipeline knows
 * of a migration; everything else stays in the tool's wing.
 *
 * @param id          the tool's own name for it, unique in the graph and stable across runs: Flyway
 *                    {@code V7} / {@code V1.1} (normalised version) or {@code R <description>} for a
 *                    repeatable; Alembic's revision id ({@code 1a2b3c4d5e6f}); Django {@code app.0003_name}
 * @param parents     ids this one directly follows (Flyway: the previous version; Alembic:
 *                    {@code down_revision}, two or more for a merge revision); empty for a root
 * @param dependsOn   ids that must be applied first without being parents (Alembic {@code depends_on},
 *                    Django cross-app dependencies); usually empty
 * @param labels      branch labels (Alembic {@code branch_labels}) or similar tags; usually empty
 * @param description one human line (Flyway description, Alembic message / docstring)
 * @param script      the file as the tool names it, relative to its location
 *                    ({@code V7__add_index.sql}, {@code versions/1a2b3c4d5e6f_add_users.py})
 * @param file        absolute path of the file on disk, or null when there is none
 * @param checksum    the tool's checksum as text (Flyway's CRC32 {@code int}), or null when the tool
 *                    keeps none (Alembic, Django)
 */
public record Revision(String id, List<String> parents, List<String> dependsOn, List<String> labels,
                       String description, String script, String file, String checksum) {

    public Revision {
        Objects.requireNonNull(id, "id");
        parents = List.copyOf(parents);
        dependsOn = List.copyOf(dependsOn);
        labels = List.copyOf(labels);
    }

    /** @return true when this revision joins two or more lines (Alembic's merge revision) */
    public boolean isMerge() {
        return parents.size() > 1;
    }
}
