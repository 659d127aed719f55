package io.driftwatch.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The migrations of a project as a directed acyclic graph of {@link Revision}s: a line for Flyway
 * (one parent each), branches, merges and several heads for Alembic and Django. Immutable; built by
 * the tool's wing from the tool's own answer (Flyway's resolver, Alembic's {@code ScriptDirectory},
 * Django's {@code MigrationLoader}).
 *
 * <p>Parents and dependencies that name no revision of the graph are kept as given (a broken graph
 * is the tool's finding to report, not an error here); walks skip them.
 *
 * @param tool      the tool's name ({@code flyway}, {@code alembic}, {@code django})
 * @param revisions every revision, in the tool's order (Flyway: versioned by version, then
 *                  repeatables; Alembic: base to heads)
 * @throws IllegalArgumentException when two revisions share an id
 */
public record RevisionGraph(String tool, List<Revision> revisions) {

    public RevisionGraph {
        revisions = List.copyOf(revisions);
        Set<String> seen = new HashSet<>();
        for (Revision r : revisions) {
            if (!seen.add(r.id())) {
                throw new IllegalArgumentException("revision id " + r.id() + " appears twice in the " + tool + " graph");
            }
        }
    }

    /** @return the revisions by id, in graph order */
    public Map<String, Revision> byId() {
        Map<String, Revision> m = new LinkedHashMap<>();
        revisions.forEach(r -> m.put(r.id(), r));
        return m;
    }

    /**
     * @param id a revision id
     * @return the revision, or null when the graph has none by that id
     */
    public Revision get(String id) {
        for (Revision r : revisions) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        return null;
    }

    /** @return ids of the revisions no other revision names as parent or dependency, in graph order */
    public List<String> heads() {
        Set<String> referenced = new HashSet<>();
        for (Revision r : revisions) {
            referenced.addAll(r.parents());
            referenced.addAll(r.dependsOn());
        }
        List<String> out = new ArrayList<>();
        for (Revision r : revisions) {
            if (!referenced.contains(r.id())) {
                out.add(r.id());
            }
        }
        return out;
    }

    /**
     * The revisions {@code ids} stand on: each of them and, transitively, their parents and
     * dependencies (what {@code alembic upgrade} considers applied when these rows are in the
     * version table). Unknown ids are skipped.
     *
     * @param ids revision ids
     * @return ids in graph order
     */
    public List<String> ancestorsOf(Collection<String> ids) {
        Map<String, Revision> all = byId();
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(ids);
        while (!todo.isEmpty()) {
            String id = todo.pop();
            Revision r = all.get(id);
            if (r == null || !seen.add(id)) {
                continue;
            }
            todo.addAll(r.parents());
            todo.addAll(r.dependsOn());
        }
        List<String> out = new ArrayList<>();
        for (Revision r : revisions) {
            if (seen.contains(r.id())) {
                out.add(r.id());
            }
        }
        return out;
    }

    /**
     * @param ids revision ids of this graph
     * @return the revisions, in graph order
     */
    public List<Revision> select(Collection<String> ids) {
        Set<String> wanted = new LinkedHashSet<>(ids);
        return revisions.stream().filter(r -> wanted.contains(r.id())).toList();
    }
}
