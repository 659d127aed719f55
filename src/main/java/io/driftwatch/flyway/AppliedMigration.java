package io.driftwatch.flyway;

/**
 * One row of Flyway's version table ({@code flyway_schema_history}), read as stored: nothing is
 * validated here (see {@code HistoryChecker}, which reports corrupt rows).
 *
 * @param installedRank  {@code installed_rank}
 * @param version        {@code version}; null for repeatables and some special rows
 * @param description    {@code description}
 * @param type           {@code type}: {@code SQL}, {@code JDBC}, {@code BASELINE}, {@code SQL_BASELINE},
 *                       {@code DELETE}, {@code SCHEMA}, ...
 * @param script         {@code script}
 * @param checksum       {@code checksum}; null for baseline and Java rows
 * @param installedBy    {@code installed_by}
 * @param installedOn    {@code installed_on} rendered as ISO-8601 text, null if absent
 * @param executionTime  {@code execution_time} in milliseconds
 * @param success        {@code success} as Flyway reads it: a NULL reads as false (JDBC {@code getBoolean})
 * @param successNull    true when the stored {@code success} is NULL (a hand edit; Flyway's table declares it
 *                       {@code NOT NULL})
 */
public record AppliedMigration(int installedRank, String version, String description, String type,
                               String script, Integer checksum, String installedBy, String installedOn,
                               int executionTime, boolean success, boolean successNull) {

    /** A row whose {@code success} is not NULL. */
    public AppliedMigration(int installedRank, String version, String description, String type, String script,
                            Integer checksum, String installedBy, String installedOn, int executionTime,
                            boolean success) {
        this(installedRank, version, description, type, script, checksum, installedBy, installedOn, executionTime,
                success, false);
    }

    /** @return true for Flyway's baseline rows ({@code BASELINE} or {@code SQL_BASELINE}) */
    public boolean isBaseline() {
        return "BASELINE".equals(type) || "SQL_BASELINE".equals(type);
    }

    /** @return true for rows written by Java migrations ({@code JDBC}, {@code SPRING_JDBC}) */
    public boolean isJava() {
        return type != null && (type.equals("JDBC") || type.equals("SPRING_JDBC") || type.startsWith("JDBC_"));
    }
}
