package io.driftwatch.cli;

import io.driftwatch.alembic.AlembicConfig;
import io.driftwatch.alembic.AlembicTool;
import io.driftwatch.alembic.PythonLocator;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code --alembic-config}, {@code --alembic-name} and {@code --python}: an Alembic project, and the
 * Python that runs Alembic for it.
 */
public final class AlembicMixin {

    /** How long one run of the Alembic helper may take (a replay of hundreds of revisions). */
    static final Duration HELPER_TIMEOUT = Duration.ofMinutes(30);

    @Option(names = "--alembic-config", paramLabel = "FILE",
            description = "alembic.ini of an Alembic project (or a folder holding alembic.ini, or Flask-Migrate's "
                    + "migrations/alembic.ini); its script_location, version_locations, version_table and "
                    + "version_table_schema are used.")
    Path alembicConfig;

    @Option(names = "--alembic-name", paramLabel = "SECTION",
            description = "Section of alembic.ini to use (alembic -n). Default: alembic.")
    String alembicName;

    @Option(names = "--python", paramLabel = "PATH",
            description = "Python that can import alembic (e.g. your project's venv/bin/python). Default: python3 on "
                    + "PATH, then /usr/bin/python3. Without one the revision graph is read from the files (DW228) "
                    + "and nothing can be replayed.")
    String python;

    /** @return true when {@code --alembic-config} was given */
    boolean given() {
        return alembicConfig != null;
    }

    /**
     * @param historyTable  {@code --history-table}, or null
     * @param historySchema {@code --history-schema}, or null
     * @param env           the environment
     * @return the Alembic project
     * @throws IllegalArgumentException when no config is found, or {@code --python} cannot import Alembic
     */
    AlembicTool tool(String historyTable, String historySchema, Map<String, String> env) {
        return tool(alembicConfig, historyTable, historySchema, env);
    }

    /**
     * @param path          an ini file or a folder holding one
     * @param historyTable  {@code --history-table}, or null
     * @param historySchema {@code --history-schema}, or null
     * @param env           the environment
     * @return the Alembic project there
     * @throws IllegalArgumentException when no config is found, or {@code --python} cannot import Alembic
     */
    AlembicTool tool(Path path, String historyTable, String historySchema, Map<String, String> env) {
        AlembicConfig located = AlembicConfig.locate(path);
        AlembicConfig config = alembicName == null ? located
                : new AlembicConfig(located.iniFile(), alembicName, located.projectDir());
        PythonLocator.Result found = new PythonLocator(env, Duration.ofSeconds(20)).locate(python);
        if (found.interpreter().isEmpty() && python != null) {
            throw new IllegalArgumentException("--python " + python + ": " + found.failureMessage());
        }
        return new AlembicTool(config, found.interpreter().orElse(null),
                found.interpreter().isEmpty() ? found.failureMessage() : null, historyTable, historySchema,
                HELPER_TIMEOUT, env);
    }
}
