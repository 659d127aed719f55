package io.driftwatch.postgres.ddl;

import io.driftwatch.plan.Hazard;
import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.SchemaModel;

import java.util.List;

/**
 * Plans the DDL for one kind of {@link CatalogObject} (functions, triggers, domains, ...): what
 * {@link PlanBuilder} does for tables, one implementation per kind, registered in
 * {@link ObjectPlanners}. Every statement must be idempotent (safe to run twice): {@code IF [NOT]
 * EXISTS}, {@code CREATE OR REPLACE}, or a {@link PgDdl#guarded} block whose condition reads the
 * catalog.
 */
interface ObjectPlanner {

    /**
     * Receives planned statements; {@link Phase} and rank decide their order.
     */
    interface Emitter {
        /**
         * @param phase         when the statement runs
         * @param rank          order within the phase (lower first)
         * @param sql           the statement, ending in {@code ;}
         * @param object        the object it changes
         * @param hazards       what can go wrong running it
         * @param transactional false when it cannot run inside a transaction block
         * @param destructive   true when it loses data or definitions (commented out unless allowed)
         * @param why           one-line reason, shown as a comment above the statement
         */
        void add(Phase phase, int rank, String sql, ObjectRef object, List<Hazard> hazards,
                 boolean transactional, boolean destructive, String why);

        /** @return the model the plan starts from */
        SchemaModel from();

        /** @return the model the plan moves to */
        SchemaModel to();
    }

    /**
     * @param o the object to create (present in {@code to} only)
     * @param e where statements go
     */
    void create(CatalogObject o, Emitter e);

    /**
     * @param o the object to drop (present in {@code from} only)
     * @param e where statements go
     */
    void drop(CatalogObject o, Emitter e);

    /**
     * @param from    the object as it is
     * @param to      the object as it must become
     * @param changed attribute names that differ (never empty)
     * @param e       where statements go
     */
    void modify(CatalogObject from, CatalogObject to, List<String> changed, Emitter e);
}
