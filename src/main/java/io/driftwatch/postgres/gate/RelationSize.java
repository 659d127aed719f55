package io.driftwatch.postgres.gate;

import java.util.Locale;

/**
 * How big a live table is, as {@link RelationSizes#read} found it in production.
 *
 * @param rows      number of rows: {@code pg_class.reltuples} rounded (an estimate kept by VACUUM and
 *                  ANALYZE) when {@code estimated}, else an exact bounded count, where
 *                  {@code countCap + 1} means "more than {@code countCap}"; {@value #UNKNOWN_ROWS} when
 *                  the table has no estimate and could not be counted (no SELECT privilege, lock or
 *                  statement timeout)
 * @param bytes     {@code pg_total_relation_size}: heap, TOAST and indexes, in bytes (for a
 *                  partitioned table the sum over its partitions); never negative
 * @param estimated true when {@code rows} comes from {@code reltuples}, false when it was counted
 */
public record RelationSize(long rows, long bytes, boolean estimated) {

    /** {@link #rows()} of a table whose row count is not known. */
    public static final long UNKNOWN_ROWS = -1;

    /**
     * @throws IllegalArgumentException when {@code rows < -1} or {@code bytes < 0}
     */
    public RelationSize {
        if (rows < UNKNOWN_ROWS) {
            throw new IllegalArgumentException("rows must be >= -1 (unknown), got " + rows);
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0, got " + bytes);
        }
    }

    /** @return true unless the row count is {@linkplain #UNKNOWN_ROWS unknown} */
    public boolean rowsKnown() {
        return rows != UNKNOWN_ROWS;
    }

    /** @return true when the table was counted and holds no row: nothing to lock for long, no data to lose */
    public boolean empty() {
        return rows == 0 && !estimated;
    }

    /**
     * @return short text for reports, e.g. {@code 1,204,331 rows, 84 MB}, {@code about 1,204,331 rows, 84 MB}
     *         (from the planner's estimate), {@code 1 row, 8192 bytes} or {@code row count unknown, 84 MB}
     */
    public String describe() {
        String count;
        if (!rowsKnown()) {
            count = "row count unknown";
        } else {
            count = (estimated ? "about " : "") + String.format(Locale.ROOT, "%,d", rows)
                    + (rows == 1 ? " row" : " rows");
        }
        return count + ", " + prettyBytes(bytes);
    }

    /**
     * Byte counts the way PostgreSQL's {@code pg_size_pretty} shows them: {@code bytes} below 10 kB,
     * else the smallest of kB, MB, GB, TB, PB (powers of 1024) in which the rounded number stays below
     * 10 240.
     *
     * @param bytes a size in bytes, not negative
     * @return e.g. {@code 8192 bytes}, {@code 64 kB}, {@code 84 MB}
     */
    static String prettyBytes(long bytes) {
        long limit = 10 * 1024;
        if (bytes < limit) {
            return bytes + " bytes";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        double value = bytes;
        for (int i = 0; i < units.length; i++) {
            value /= 1024.0;
            if (Math.round(value) < limit || i == units.length - 1) {
                return Math.round(value) + " " + units[i];
            }
        }
        throw new AssertionError("unreachable");
    }
}
