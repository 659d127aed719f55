package io.driftwatch.flyway;

import io.driftwatch.tool.MigrationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.driftwatch.flyway.MigrationScannerTest.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FlywayConfigFileTest {

    private final FlywayConfigFile config = new FlywayConfigFile();

    @Test
    void readsFlywayToml(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("project/flyway.toml");
        write(file, """
                databaseType = "PostgreSql"

                [environments.default]
                url = "jdbc:postgresql://db:5432/shop"
                user = "app"
                password = "secret"

                [environments.prod]
                url = "jdbc:postgresql://prod:5432/shop"
                user = "auditor"
                schemas = ["prod_app"]

                [flyway]
                locations = ["filesystem:sql", "filesystem:/abs/more", "extra"]
                schemas = ["app", "audit"]
                defaultSchema = "app"
                table = "schema_history"

                [flyway.placeholders]
                owner = "app_owner"
                retention = 30
                """);

        assertEquals(new FlywaySettings(List.of(dir.resolve("project/sql"), Path.of("/abs/more"),
                        dir.resolve("project/extra")), List.of("app", "audit"), "app", "schema_history",
                        Map.of("owner", "app_owner", "retention", "30")),
                config.read(file));
        assertEquals(List.of("prod_app"), config.read(file, "prod").schemas());
        assertEquals(new FlywayEnvironment("default", "jdbc:postgresql://db:5432/shop", "app", List.of()),
                config.environment(file, null));
        assertEquals(new FlywayEnvironment("prod", "jdbc:postgresql://prod:5432/shop", "auditor", List.of("prod_app")),
                config.environment(file, "prod"));
        assertNull(config.environment(file, "nope"));
    }

    @Test
    void tomlWithoutSettingsGivesEmptyDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("flyway.toml");
        write(file, "[flyway]\n");
        assertEquals(new FlywaySettings(List.of(), List.of(), null, null, Map.of()), config.read(file));
        assertEquals("flyway_schema_history", config.read(file).historyTable());
        assertNull(config.read(file).historySchema());
    }

    @Test
    void readsLegacyConf(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("conf/flyway.conf");
        write(file, """
                # legacy configuration
                flyway.url=jdbc:postgresql://db:5432/shop
                flyway.user=app
                flyway.password=secret
                flyway.locations=filesystem:../sql,\\
                  filesystem:more
                flyway.schemas=app, audit
                flyway.table=schema_history
                flyway.placeholders.owner=app_owner
                flyway.placeholders.greeting=a=b
                flyway.cleanDisabled=true
                """);

        assertEquals(new FlywaySettings(List.of(dir.resolve("sql"), dir.resolve("conf/more")), List.of("app", "audit"),
                        null, "schema_history", Map.of("owner", "app_owner", "greeting", "a=b")),
                config.read(file));
        assertEquals("app", config.read(file).historySchema());
        assertEquals(new FlywayEnvironment("default", "jdbc:postgresql://db:5432/shop", "app", List.of("app", "audit")),
                config.environment(file, null));
    }

    @Test
    void classpathLocationIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("flyway.toml");
        write(file, "[flyway]\nlocations = [\"classpath:db/migration\"]\n");
        MigrationException e = assertThrows(MigrationException.class, () -> config.read(file));
        assertEquals("location 'classpath:db/migration' in " + file
                + " is not supported: only folders are (use filesystem:<folder>)", e.getMessage());
    }

    @Test
    void malformedTomlNamesFileAndLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("flyway.toml");
        write(file, "[flyway]\nschemas = [\"a\"\ntable = \n");
        MigrationException e = assertThrows(MigrationException.class, () -> config.read(file));
        assertEquals("cannot parse " + file + " line 3: More data after value has already ended. Invalid value preceding this position?",
                e.getMessage());
    }

    @Test
    void malformedConfNamesFileAndLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("flyway.conf");
        write(file, "flyway.schemas=app\n\nthis is not a setting\n");
        MigrationException e = assertThrows(MigrationException.class, () -> config.read(file));
        assertEquals("cannot parse " + file + " line 3: expected key=value", e.getMessage());
    }

    @Test
    void wrongValueType(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("flyway.toml");
        write(file, "[flyway]\ntable = [\"a\"]\n");
        MigrationException e = assertThrows(MigrationException.class, () -> config.read(file));
        assertEquals(file + ": [flyway] table must be a string, not a array", e.getMessage());
    }

    @Test
    void missingAndUnknownFiles(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("flyway.toml");
        assertEquals("Flyway configuration file " + missing + " does not exist",
                assertThrows(MigrationException.class, () -> config.read(missing)).getMessage());
        Path yaml = dir.resolve("flyway.yaml");
        write(yaml, "flyway: {}\n");
        assertEquals("unsupported Flyway configuration file " + yaml + " (expected flyway.toml or a legacy flyway.conf)",
                assertThrows(MigrationException.class, () -> config.read(yaml)).getMessage());
    }
}
