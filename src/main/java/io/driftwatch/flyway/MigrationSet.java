package io.driftwatch.flyway;

import java.util.List;

/**
 * The migration scripts found in the configured locations.
 *
 * @param locations  the locations scanned, as given (e.g. {@code fixtures/shop/migrations})
 * @param migrations versioned scripts in version order, then repeatables by description
 */
public record MigrationSet(List<String> locations, List<ResolvedMigration> migrations) {

    public MigrationSet {
        locations = List.copyOf(locations);
        migrations = List.copyOf(migrations);
    }

    /** @return the versioned scripts, in version order */
    public List<ResolvedMigration> versioned() {
        return migrations.stream().filter(m -> !m.repeatable()).toList();
    }

    /** @return the repeatable scripts, by description */
    public List<ResolvedMigration> repeatables() {
        return migrations.stream().filter(ResolvedMigration::repeatable).toList();
    }
}
