package io.driftwatch.alembic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Which Alembic configuration to use: the ini file, its section ({@code alembic -n NAME}) and the
 * project folder (the helper's working directory, put on {@code PYTHONPATH} so env.py's imports of the
 * application work; reported paths are relative to it).
 *
 * @param iniFile    the {@code alembic.ini} file (absolute after construction)
 * @param section    the ini section, {@code alembic} by default
 * @param projectDir the project folder (absolute after construction)
 */
public record AlembicConfig(Path iniFile, String section, Path projectDir) {

    /** Default section name, as Alembic's own. */
    public static final String DEFAULT_SECTION = "alembic";

    /** Normalises to absolute paths; null section means {@value #DEFAULT_SECTION}. */
    public AlembicConfig {
        Objects.requireNonNull(iniFile, "iniFile");
        iniFile = iniFile.toAbsolutePath().normalize();
        section = section == null || section.isBlank() ? DEFAULT_SECTION : section;
        projectDir = (projectDir == null ? iniFile.getParent() : projectDir).toAbsolutePath().normalize();
    }

    /**
     * The configuration for a path the user named: an ini file, or a folder holding {@code alembic.ini}
     * or Flask-Migrate's {@code migrations/alembic.ini} (then the project folder is the parent of
     * {@code migrations/}, where {@code flask db} runs).
     *
     * @param path a file or folder
     * @return the configuration, section {@value #DEFAULT_SECTION}
     * @throws IllegalArgumentException when no ini file is found there (the message names what was looked for)
     */
    public static AlembicConfig locate(Path path) {
        Path p = path.toAbsolutePath().normalize();
        if (Files.isRegularFile(p)) {
            return new AlembicConfig(p, null, null);
        }
        if (Files.isRegularFile(p.resolve("alembic.ini"))) {
            Path ini = p.resolve("alembic.ini");
            boolean flask = Files.isRegularFile(p.resolve("env.py")) && p.getParent() != null;
            return new AlembicConfig(ini, null, flask ? p.getParent() : p);
        }
        if (Files.isRegularFile(p.resolve("migrations").resolve("alembic.ini"))) {
            return new AlembicConfig(p.resolve("migrations").resolve("alembic.ini"), null, p);
        }
        throw new IllegalArgumentException("no Alembic config at " + p + ": looked for " + p
                + ", alembic.ini and migrations/alembic.ini in it");
    }
}
