package io.driftwatch.plan;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Dependency-ordered statements that move a schema from one model to another.
 *
 * @param statements in execution order
 * @param options    the options the plan was made with
 */
public record Plan(List<Statement> statements, PlanOptions options) {

    public Plan {
        statements = List.copyOf(statements);
    }

    /** @return true when nothing needs to change */
    public boolean isEmpty() {
        return statements.isEmpty();
    }

    /** @return true when some statement cannot run inside a transaction block */
    public boolean hasNonTransactional() {
        return statements.stream().anyMatch(s -> !s.transactional());
    }

    /** @return distinct hazard types of all statements, in first-seen order */
    public Set<HazardType> hazardTypes() {
        Set<HazardType> out = new LinkedHashSet<>();
        statements.forEach(s -> s.hazards().forEach(h -> out.add(h.type())));
        return out;
    }

    /**
     * @param includeDestructive whether destructive statements are executed (else skipped)
     * @return the SQL to execute, statements joined by newlines
     */
    public String executableSql(boolean includeDestructive) {
        StringBuilder sb = new StringBuilder();
        for (Statement s : statements) {
            if (!s.destructive() || includeDestructive) {
                sb.append(s.sql()).append('\n');
            }
        }
        return sb.toString();
    }
}
