package io.driftwatch.model;

/**
 * A sequence ({@code pg_sequence} row). Sequences behind identity columns are not listed; they are
 * part of the column's identity.
 *
 * @param schema    namespace name
 * @param name      sequence name
 * @param dataType  {@code format_type(seqtypid, NULL)}: {@code smallint}, {@code integer} or {@code bigint}
 * @param start     {@code seqstart}
 * @param increment {@code seqincrement}
 * @param min       {@code seqmin}
 * @param max       {@code seqmax}
 * @param cache     {@code seqcache}
 * @param cycle     {@code seqcycle}
 * @param ownedBy   owning column as {@code schema.table.column} (quoted as needed) for
 *                  {@code OWNED BY} / serial sequences, else null
 */
public record Sequence(String schema, String name, String dataType, long start, long increment,
                       long min, long max, long cache, boolean cycle, String ownedBy) {

    /** @return this sequence's identity */
    public ObjectRef ref() {
        return ObjectRef.of(ObjectKind.SEQUENCE, schema, name);
    }
}
