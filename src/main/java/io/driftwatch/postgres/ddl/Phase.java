package io.driftwatch.postgres.ddl;

/**
 * The order in which the {@link Planner} emits statements: drops of dependents first (in reverse
 * dependency order), then creations in dependency order, then drops of things others depended on.
 * Within a phase statements are ordered by a rank (partition depth, view dependency order) and
 * then by the order they were planned.
 */
enum Phase {
    /** triggers and policies that are removed or rebuilt (before their tables or functions change) */
    DROP_TRIGGERS,
    /** views and materialized views that are removed, or dropped so their tables can change */
    DROP_VIEWS,
    /** foreign keys removed, changed, or referencing a key that is about to change */
    DROP_FOREIGN_KEYS,
    /** sequences released from a column that is about to be dropped or changed ({@code OWNED BY NONE}) */
    DISOWN_SEQUENCES,
    /** extra indexes, and indexes rebuilt concurrently */
    DROP_INDEXES,
    /** extra primary key, unique, check and exclusion constraints */
    DROP_CONSTRAINTS,
    /** extra columns */
    DROP_COLUMNS,
    /** extra tables, partitions before their parents */
    DROP_TABLES,
    /** {@code CREATE SCHEMA IF NOT EXISTS} */
    CREATE_SCHEMAS,
    /** {@code CREATE EXTENSION}, version updates */
    EXTENSIONS,
    /** {@code CREATE COLLATION} */
    COLLATIONS,
    /** enum creation, added labels, rebuilds */
    ENUMS,
    /** domains, composite and range types */
    TYPES,
    /** functions, procedures and aggregates ({@code check_function_bodies} is off for the bridge) */
    ROUTINES,
    /** sequence creation and parameters (ownership comes later) */
    SEQUENCES,
    /** tables, parents before partitions */
    CREATE_TABLES,
    /** column type, nullability, default, identity, generated expression */
    ALTER_COLUMNS,
    /** {@code ADD COLUMN IF NOT EXISTS}: after the type changes a new generated column may read */
    ADD_COLUMNS,
    /** partition attach / detach */
    ALTER_TABLES,
    /** primary key, unique, check and exclusion constraints */
    ADD_CONSTRAINTS,
    /** indexes */
    CREATE_INDEXES,
    /** foreign keys: every table and key they reference exists by now */
    ADD_FOREIGN_KEYS,
    /** {@code ALTER SEQUENCE ... OWNED BY} */
    SEQUENCE_OWNERSHIP,
    /** views and materialized views, referenced ones first */
    CREATE_VIEWS,
    /** indexes of materialized views (after the views are created) */
    MATVIEW_INDEXES,
    /** triggers, created after their functions and tables; enabled state */
    TRIGGERS,
    /** row level security policies */
    POLICIES,
    /** event triggers */
    EVENT_TRIGGERS,
    /** {@code COMMENT ON} */
    COMMENTS,
    /** {@code ALTER ... OWNER TO} */
    OWNERS,
    /** {@code GRANT} / {@code REVOKE} and default privileges */
    PRIVILEGES,
    /** functions, procedures and aggregates removed (after whatever used them) */
    DROP_ROUTINES,
    /** domains, composite and range types removed */
    DROP_TYPES,
    /** extra sequences */
    DROP_SEQUENCES,
    /** extra enum types */
    DROP_ENUMS,
    /** extra schemas */
    /** collations removed */
    DROP_COLLATIONS,
    /** extensions removed */
    DROP_EXTENSIONS,
    DROP_SCHEMAS
}
