package io.driftwatch.plan;

/**
 * What can go wrong when a statement runs, named after pg-schema-diff's hazard types
 * ({@code stripe/pg-schema-diff}, {@code pkg/diff/plan.go}) where they fit.
 */
public enum HazardType {
    /** drops a table, column or other object holding data */
    DELETES_DATA,
    /** takes an ACCESS EXCLUSIVE lock: blocks reads and writes of the table while it runs */
    ACQUIRES_ACCESS_EXCLUSIVE_LOCK,
    /** takes a SHARE lock: blocks writes (e.g. CREATE INDEX without CONCURRENTLY) */
    ACQUIRES_SHARE_LOCK,
    /** builds an index: I/O and CPU proportional to the table's size */
    INDEX_BUILD,
    /** drops an index: queries that used it may slow down */
    INDEX_DROPPED,
    /** rewrites the whole table (e.g. a column type change that is not binary-coercible) */
    TABLE_REWRITE,
    /** scans the table to validate (SET NOT NULL, VALIDATE CONSTRAINT) */
    VALIDATES_DATA,
    /** changes behaviour other objects may rely on (dropping and recreating views, enum rebuilds) */
    HAS_UNTRACKABLE_DEPENDENCIES,
    /** cannot run inside a transaction block (CREATE/DROP INDEX CONCURRENTLY) */
    NON_TRANSACTIONAL
}
