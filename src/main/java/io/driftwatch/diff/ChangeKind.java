package io.driftwatch.diff;

/**
 * What changed on a {@link Change.ModifyColumn} (Atlas's {@code ChangeKind} bit-set, kept as an
 * {@code EnumSet}).
 */
public enum ChangeKind {
    /** {@code format_type} differs. */
    TYPE,
    /** NOT NULL added or removed. */
    NULLABILITY,
    /** default expression added, removed or changed. */
    DEFAULT,
    /** identity added, removed or switched between ALWAYS and BY DEFAULT. */
    IDENTITY,
    /** Identity sequence options (increment, bounds, cache, cycle) differ; identity kind is the same. */
    IDENTITY_OPTIONS,
    /** generated expression added, removed or changed. */
    GENERATED,
    /** explicit collation changed. */
    COLLATION
}
