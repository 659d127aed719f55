package io.driftwatch.flyway;

import java.util.List;

/**
 * A Flyway environment's connection settings ({@code [environments.<name>]} in {@code flyway.toml}, or
 * {@code flyway.url}/{@code flyway.user} in {@code flyway.conf} as environment {@code default}). The
 * password is deliberately never read.
 *
 * @param name    environment name
 * @param url     JDBC URL, or null
 * @param user    user, or null
 * @param schemas the environment's {@code schemas}; empty when not set
 */
public record FlywayEnvironment(String name, String url, String user, List<String> schemas) {

    public FlywayEnvironment {
        schemas = List.copyOf(schemas);
    }
}
