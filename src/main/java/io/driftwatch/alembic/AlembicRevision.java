package io.driftwatch.alembic;

import java.util.List;

/**
 * One revision file as Alembic sees it (or, for a static read, as its assignments say).
 *
 * @param revision          the {@code revision} id
 * @param downRevisions     {@code down_revision} as a list: empty for a base, two or more for a merge
 * @param dependsOn         {@code depends_on} as written: revision ids or branch labels
 * @param resolvedDependsOn {@code depends_on} resolved to revision ids (a label names the revision that
 *                          declares it), or null when the graph could not be built
 * @param branchLabels      the labels this file declares ({@code branch_labels})
 * @param branches          the labels Alembic applies to it (declared ones spread along the branch, as
 *                          {@code alembic history} shows them), or null (static read, broken graph)
 * @param path              the file, relative to the project folder, with {@code /} separators
 * @param doc               the first line of the module docstring (the revision message), or null
 * @param head              no revision names it as {@code down_revision}
 * @param base              it has no {@code down_revision}
 * @param mergePoint        it has two or more {@code down_revision}s
 * @param branchPoint       two or more revisions name it as {@code down_revision}
 */
public record AlembicRevision(String revision, List<String> downRevisions, List<String> dependsOn,
                              List<String> resolvedDependsOn, List<String> branchLabels, List<String> branches,
                              String path, String doc, boolean head, boolean base, boolean mergePoint,
                              boolean branchPoint) {

    /** Copies the lists (nullable ones stay null). */
    public AlembicRevision {
        downRevisions = List.copyOf(downRevisions);
        dependsOn = List.copyOf(dependsOn);
        resolvedDependsOn = resolvedDependsOn == null ? null : List.copyOf(resolvedDependsOn);
        branchLabels = List.copyOf(branchLabels);
        branches = branches == null ? null : List.copyOf(branches);
    }
}
