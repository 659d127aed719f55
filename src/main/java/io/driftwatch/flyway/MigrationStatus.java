package io.driftwatch.flyway;

/**
 * One line of the history table state shown in reports: a local script, a history row, or both
 * matched together, with Flyway's state word.
 *
 * @param version         version text, null for repeatables
 * @param description     description
 * @param type            {@code SQL}, {@code JDBC}, {@code BASELINE}, ... (from the row when applied, else {@code SQL})
 * @param script          script name
 * @param state           Flyway's state word: {@code success}, {@code pending}, {@code failed},
 *                        {@code missing}, {@code future}, {@code out of order}, {@code ignored},
 *                        {@code outdated}, {@code baseline}, {@code below baseline}
 * @param installedRank   rank of the matching history row, null if not applied
 * @param installedOn     {@code installed_on} text, null if not applied
 * @param installedBy     {@code installed_by}, null if not applied
 * @param localChecksum   checksum of the local script, null when there is none
 * @param appliedChecksum checksum stored in the history row, null when none
 */
public record MigrationStatus(String version, String description, String type, String script, String state,
                              Integer installedRank, String installedOn, String installedBy,
                              Integer localChecksum, Integer appliedChecksum) {
}
