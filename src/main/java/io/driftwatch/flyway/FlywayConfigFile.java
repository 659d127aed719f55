package io.driftwatch.flyway;

import io.driftwatch.tool.MigrationException;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the parts of a project's Flyway configuration Driftwatch needs from {@code flyway.toml}
 * (Flyway 10+) or a legacy {@code flyway.conf}.
 * <ul>
 *   <li>TOML: {@code [flyway]} {@code locations}, {@code schemas}, {@code defaultSchema}, {@code table},
 *       {@code environment}; {@code [flyway.placeholders]}; {@code [environments.<name>]} {@code url},
 *       {@code user}, {@code schemas}. Arrays or comma-separated strings are accepted for lists.</li>
 *   <li>Legacy: {@code flyway.locations=filesystem:sql,...}, {@code flyway.schemas}, {@code flyway.defaultSchema},
 *       {@code flyway.table}, {@code flyway.placeholders.<key>=<value>}, {@code flyway.url}, {@code flyway.user};
 *       {@code #}/{@code !} comments, {@code \} line continuations.</li>
 * </ul>
 * Locations: a {@code filesystem:} prefix is stripped, an unprefixed location is taken as a folder too,
 * relative folders resolve against the config file's folder; {@code classpath:} (and any other scheme)
 * is refused. Passwords are never read or returned; other keys are ignored. Environment variable
 * references ({@code ${env.X}}) are not expanded.
 */
public final class FlywayConfigFile {

    /** Creates a reader; it holds no state. */
    public FlywayConfigFile() {
    }

    /**
     * Reads the settings; for TOML the environment named by {@code [flyway] environment} (else
     * {@code default}) overrides {@code schemas} when it sets them.
     *
     * @param file {@code *.toml} or {@code *.conf}
     * @return locations (absolute; empty when none are configured), schemas, default schema, table, placeholders
     * @throws MigrationException one line naming the file (and line where known): missing or unreadable
     *         file, unsupported file type, malformed content, {@code classpath:} location, wrong value type
     */
    public FlywaySettings read(Path file) throws MigrationException {
        return read(file, null);
    }

    /**
     * @param file        {@code *.toml} or {@code *.conf}
     * @param environment environment whose {@code schemas} override {@code [flyway] schemas}; null for the
     *                    file's {@code [flyway] environment} or {@code default}
     * @return as {@link #read(Path)}
     * @throws MigrationException as {@link #read(Path)}
     */
    public FlywaySettings read(Path file, String environment) throws MigrationException {
        Parsed p = parse(file);
        FlywayEnvironment env = p.environments().get(environment != null ? environment : p.environment());
        List<String> schemas = env != null && !env.schemas().isEmpty() ? env.schemas() : p.schemas();
        return new FlywaySettings(p.locations(), schemas, p.defaultSchema(), p.table(), p.placeholders());
    }

    /**
     * @param file {@code *.toml} or {@code *.conf}
     * @param name environment name, or null for the file's {@code [flyway] environment} or {@code default}
     * @return the environment's url, user and schemas (never a password), or null when not defined
     * @throws MigrationException as {@link #read(Path)}
     */
    public FlywayEnvironment environment(Path file, String name) throws MigrationException {
        Parsed p = parse(file);
        return p.environments().get(name != null ? name : p.environment());
    }

    private record Parsed(List<Path> locations, List<String> schemas, String defaultSchema, String table,
                          Map<String, String> placeholders, String environment,
                          Map<String, FlywayEnvironment> environments) {
    }

    private Parsed parse(Path file) throws MigrationException {
        if (!Files.isRegularFile(file)) {
            throw new MigrationException("Flyway configuration file " + file + " does not exist");
        }
        String name = file.getFileName().toString();
        if (name.endsWith(".toml")) {
            return parseToml(file);
        }
        if (name.endsWith(".conf")) {
            return parseConf(file);
        }
        throw new MigrationException("unsupported Flyway configuration file " + file
                + " (expected flyway.toml or a legacy flyway.conf)");
    }

    private Parsed parseToml(Path file) throws MigrationException {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(file.toFile());
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String line = at != null && at.getLineNr() > 0 ? " line " + at.getLineNr() : "";
            throw new MigrationException("cannot parse " + file + line + ": "
                    + MigrationScanner.firstLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new MigrationException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new MigrationException("cannot parse " + file + ": not a TOML table");
        }
        JsonNode flyway = root.path("flyway");
        List<Path> locations = new ArrayList<>();
        for (String l : list(flyway, "locations", file, "[flyway] locations")) {
            locations.add(location(l, file));
        }
        Map<String, String> placeholders = new LinkedHashMap<>();
        JsonNode ph = flyway.path("placeholders");
        if (!ph.isMissingNode()) {
            if (!ph.isObject()) {
                throw new MigrationException(file + ": [flyway.placeholders] must be a table of key = value");
            }
            for (Map.Entry<String, JsonNode> e : ph.properties()) {
                placeholders.put(e.getKey(), scalar(e.getValue(), file, "[flyway.placeholders] " + e.getKey()));
            }
        }
        Map<String, FlywayEnvironment> environments = new LinkedHashMap<>();
        JsonNode envs = root.path("environments");
        if (envs.isObject()) {
            for (Map.Entry<String, JsonNode> e : envs.properties()) {
                String where = "[environments." + e.getKey() + "]";
                environments.put(e.getKey(), new FlywayEnvironment(e.getKey(),
                        text(e.getValue(), "url", file, where + " url"),
                        text(e.getValue(), "user", file, where + " user"),
                        list(e.getValue(), "schemas", file, where + " schemas")));
            }
        }
        String environment = text(flyway, "environment", file, "[flyway] environment");
        return new Parsed(locations, list(flyway, "schemas", file, "[flyway] schemas"),
                text(flyway, "defaultSchema", file, "[flyway] defaultSchema"),
                text(flyway, "table", file, "[flyway] table"), placeholders,
                environment != null ? environment : "default", environments);
    }

    private Parsed parseConf(Path file) throws MigrationException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MigrationException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<Path> locations = new ArrayList<>();
        List<String> schemas = List.of();
        String defaultSchema = null;
        String table = null;
        String url = null;
        String user = null;
        Map<String, String> placeholders = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            StringBuilder sb = new StringBuilder(lines.get(i).strip());
            while (sb.length() > 0 && sb.charAt(sb.length() - 1) == '\\' && i + 1 < lines.size()) {
                sb.setLength(sb.length() - 1);
                sb.append(lines.get(++i).strip());
            }
            String line = sb.toString();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new MigrationException("cannot parse " + file + " line " + lineNo + ": expected key=value");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (key.startsWith("flyway.placeholders.")) {
                placeholders.put(key.substring("flyway.placeholders.".length()), value);
                continue;
            }
            switch (key) {
                case "flyway.locations" -> {
                    for (String l : split(value)) {
                        locations.add(location(l, file));
                    }
                }
                case "flyway.schemas" -> schemas = split(value);
                case "flyway.defaultSchema" -> defaultSchema = value.isEmpty() ? null : value;
                case "flyway.table" -> table = value.isEmpty() ? null : value;
                case "flyway.url" -> url = value.isEmpty() ? null : value;
                case "flyway.user" -> user = value.isEmpty() ? null : value;
                default -> {
                    // other Flyway settings (and flyway.password) are not needed and never kept
                }
            }
        }
        Map<String, FlywayEnvironment> environments = new LinkedHashMap<>();
        if (url != null || user != null) {
            environments.put("default", new FlywayEnvironment("default", url, user, schemas));
        }
        return new Parsed(locations, schemas, defaultSchema, table, placeholders, "default", environments);
    }

    private static Path location(String raw, Path file) throws MigrationException {
        String l = raw.strip();
        if (l.startsWith("filesystem:")) {
            l = l.substring("filesystem:".length());
        } else if (l.matches("[A-Za-z][A-Za-z0-9+.-]+:.*") && !l.matches("[A-Za-z]:[\\\\/].*")) {
            throw new MigrationException("location '" + raw + "' in " + file + " is not supported: only folders"
                    + " are (use filesystem:<folder>)");
        }
        Path base = file.toAbsolutePath().getParent();
        return base.resolve(l).normalize();
    }

    private static List<String> split(String value) {
        List<String> out = new ArrayList<>();
        for (String s : value.split(",")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    private static List<String> list(JsonNode parent, String key, Path file, String where) throws MigrationException {
        JsonNode n = parent.path(key);
        if (n.isMissingNode() || n.isNull()) {
            return List.of();
        }
        if (n.isArray()) {
            List<String> out = new ArrayList<>();
            for (JsonNode e : n) {
                out.add(scalar(e, file, where));
            }
            return out;
        }
        return split(scalar(n, file, where));
    }

    private static String text(JsonNode parent, String key, Path file, String where) throws MigrationException {
        JsonNode n = parent.path(key);
        return n.isMissingNode() || n.isNull() ? null : scalar(n, file, where);
    }

    private static String scalar(JsonNode n, Path file, String where) throws MigrationException {
        if (!n.isValueNode()) {
            throw new MigrationException(file + ": " + where + " must be a string, not a " + n.getNodeType()
                    .toString().toLowerCase(java.util.Locale.ROOT));
        }
        return n.asText();
    }
}
