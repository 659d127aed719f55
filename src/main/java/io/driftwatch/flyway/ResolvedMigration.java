package io.driftwatch.flyway;

/**
 * A migration script found on disk (Flyway's "resolved migration").
 *
 * @param version     Flyway version text as written in the file name ({@code 1}, {@code 1.2},
 *                    {@code 2_1} is normalised to {@code 2.1}); {@code null} for repeatable scripts
 * @param description description from the file name, underscores turned into spaces
 * @param script      script name relative to its location, as Flyway writes it into the
 *                    {@code script} column (e.g. {@code V3__add_orders.sql})
 * @param checksum    Flyway's checksum (CRC32 over each line's UTF-8 bytes, line breaks dropped,
 *                    BOM stripped, after placeholder replacement for repeatables), as an {@code int}
 * @param repeatable  true for {@code R__} scripts
 * @param physicalPath absolute path of the file on disk
 */
public record ResolvedMigration(String version, String description, String script, int checksum,
                                boolean repeatable, String physicalPath) {

    /** @return version for versioned scripts, description for repeatables: the name in reports */
    public String displayName() {
        return repeatable ? "R " + description : "V" + version;
    }
}
