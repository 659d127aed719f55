package io.driftwatch.tool;

import java.nio.file.Path;

/**
 * Makes the migration project for a folder named on the command line ({@code migrations:DIR} in
 * {@code diff} and {@code inspect}), with the run's settings (placeholders, version table). The CLI
 * supplies it; the source loader holds only this.
 */
@FunctionalInterface
public interface MigrationTools {

    /**
     * @param dir the folder
     * @return the project in it
     * @throws MigrationException (exit 2) when no project of a known tool is there
     */
    MigrationTool forFolder(Path dir) throws MigrationException;
}
