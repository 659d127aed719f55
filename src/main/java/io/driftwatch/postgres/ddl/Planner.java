package io.driftwatch.postgres.ddl;

import io.driftwatch.plan.Plan;
import io.driftwatch.plan.PlanOptions;
import io.driftwatch.plan.Statement;
import io.driftwatch.diff.SchemaDiffer;
import io.driftwatch.model.SchemaModel;

import java.util.Objects;

/**
 * Plans the PostgreSQL statements that move a database whose schema is {@code from} to {@code to}
 * (a bridge: {@code plan(actual, expected)}; a clone: {@code plan(SchemaModel.empty(), actual)}).
 *
 * <p>Steps: {@link SchemaDiffer#diff} gives the changes; a {@code Change.Visitor} turns each into
 * statements; statements the dependencies call for are added (views that use a changing table,
 * column or enum are dropped first and created again afterwards; foreign keys that reference a
 * changing key are dropped and re-added); everything is ordered by phase: drops of dependents
 * (views, foreign keys, indexes, constraints, columns, tables), then schemas, enums, sequences,
 * tables (parents before partitions), columns, partition attach, constraints, indexes, foreign keys,
 * sequence ownership, views (referenced ones first), and last the drops of sequences, enums and schemas.
 *
 * <p>Every statement is idempotent: {@code IF [NOT] EXISTS} where PostgreSQL has it, otherwise a
 * {@code DO} block that checks {@code pg_catalog} first; running the whole plan twice succeeds and
 * the second run changes nothing. Safe forms (after pg-schema-diff, {@code stripe/pg-schema-diff}):
 * indexes on existing tables built and dropped {@code CONCURRENTLY} when
 * {@link PlanOptions#concurrently()} (not on partitioned tables, where PostgreSQL refuses it);
 * CHECK and FOREIGN KEY constraints on existing tables added {@code NOT VALID} and then validated
 * (foreign keys on partitioned tables are added directly: PostgreSQL 17 and older refuse NOT VALID there).
 * Statements that lose data are {@link Statement#destructive()}.
 *
 * <p>Pure: the planner never reads a database; it holds no state and may be shared.
 */
public final class Planner {

    private final SchemaDiffer differ = new SchemaDiffer();

    /** Creates a planner. */
    public Planner() {
    }

    /**
     * Statements that move a database whose schema is {@code from} to {@code to}; dependency-ordered,
     * each idempotent.
     *
     * @param from    the schema the database has now (as read by {@code PostgresCatalogReader}, or
     *                {@link SchemaModel#empty()} to create everything)
     * @param to      the schema it should have
     * @param options concurrency and destructive-statement handling
     * @return the plan; empty when the models are equivalent
     * @throws NullPointerException     when an argument is null
     * @throws IllegalArgumentException when a model holds text the planner cannot render (an index
     *                                  definition that is not {@code CREATE [UNIQUE] INDEX name ON ...},
     *                                  an identifier with a NUL character)
     */
    public Plan plan(SchemaModel from, SchemaModel to, PlanOptions options) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(options, "options");
        return new Plan(new PlanBuilder(from, to, differ.diff(from, to), options).build(), options);
    }
}
