package io.driftwatch.cli;

import io.driftwatch.base.AuditException;
import io.driftwatch.base.ExitCode;
import io.driftwatch.flyway.FlywayConfigFile;
import io.driftwatch.flyway.FlywaySettings;
import io.driftwatch.tool.MigrationException;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --flyway-config} and {@code --placeholder}: Flyway's own settings for replaying scripts.
 */
public final class FlywayMixin {

    @Option(names = "--flyway-config", paramLabel = "FILE",
            description = "flyway.toml or flyway.conf to read locations, schemas, table and placeholders from.")
    Path flywayConfig;

    @Option(names = "--placeholder", paramLabel = "KEY=VALUE", description = "Flyway placeholder; repeatable.")
    Map<String, String> placeholders = new LinkedHashMap<>();

    /**
     * @return the settings of {@code --flyway-config}, or null when none was given
     * @throws AuditException (exit 2) when the file cannot be read or parsed
     */
    FlywaySettings settings() throws AuditException {
        if (flywayConfig == null) {
            return null;
        }
        try {
            return new FlywayConfigFile().read(flywayConfig);
        } catch (MigrationException e) {
            throw new AuditException(ExitCode.USAGE, e.getMessage(), e);
        }
    }

    /**
     * @param settings the config file's settings, or null
     * @return the file's placeholders overridden by {@code --placeholder}
     */
    Map<String, String> placeholders(FlywaySettings settings) {
        Map<String, String> ph = new LinkedHashMap<>();
        if (settings != null) {
            ph.putAll(settings.placeholders());
        }
        ph.putAll(placeholders);
        return ph;
    }
}
