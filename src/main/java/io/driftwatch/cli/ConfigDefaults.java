package io.driftwatch.cli;

import io.driftwatch.config.ConfigException;
import io.driftwatch.config.ConfigNode;
import io.driftwatch.config.ProjectConfig;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Applies {@code driftwatch.yaml} to the command being run: after Picocli has parsed the command
 * line and before the command runs, every option that was not given on the command line and has a
 * value in the file (the command's own section first, then the top level) takes that value. So the
 * precedence is: command-line flag, then the file, then the option's built-in default (environment
 * variables such as {@code PGHOST} still fill only what the URL leaves open).
 *
 * <p>The file is {@code --config FILE}, else {@code driftwatch.yaml} in the working directory when
 * present (unless {@code --no-config}). Keys are the long option names without dashes; a top-level
 * key applies to every command that has that option, except {@code out} and {@code format}, which
 * mean different things elsewhere and apply at the top level to {@code audit} and {@code gate} only
 * (give them to other commands in their section). Paths in the file are relative to its folder.
 * Every subcommand but {@code demo} and {@code help} gets {@code --config} (as a mixin, added here
 * when the command does not declare {@link ConfigMixin} itself).
 *
 * <p>An invalid file ends the run with one line naming file, line and key, exit 2, before anything
 * connects anywhere. {@code --help} and {@code --version} never read the file.
 */
final class ConfigDefaults implements CommandLine.IExecutionStrategy {

    /** Keys accepted everywhere although no option has them yet (reserved for the rule engine). */
    static final Set<String> RESERVED = Set.of("rules", "lint");

    /** Commands whose {@code --out}/{@code --format} a top-level key sets (report folder and formats). */
    private static final Set<String> REPORT_COMMANDS = Set.of("audit", "gate");
    private static final Set<String> REPORT_KEYS = Set.of("out", "format");
    private static final Set<String> NO_CONFIG = Set.of("demo", "help");
    private static final Set<String> NOT_KEYS = Set.of("config", "no-config", "password", "help", "version");

    private final CommandLine root;
    private final CommandLine.IExecutionStrategy next = new CommandLine.RunLast();

    private ConfigDefaults(CommandLine root) {
        this.root = root;
    }

    /**
     * Gives every subcommand but {@code demo} and {@code help} the {@code --config} option and makes
     * {@code root} apply the configuration before running a command.
     *
     * @param root the {@code driftwatch} command line
     */
    static void install(CommandLine root) {
        for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
            CommandSpec spec = e.getValue().getCommandSpec();
            if (!NO_CONFIG.contains(e.getKey()) && mixin(spec) == null) {
                spec.addMixin("config", CommandSpec.forAnnotatedObject(new ConfigMixin()));
            }
        }
        root.setExecutionStrategy(new ConfigDefaults(root));
    }

    @Override
    public int execute(ParseResult parseResult) {
        ParseResult last = parseResult;
        boolean help = parseResult.isUsageHelpRequested() || parseResult.isVersionHelpRequested();
        while (last.hasSubcommand()) {
            last = last.subcommand();
            help |= last.isUsageHelpRequested() || last.isVersionHelpRequested();
        }
        if (!help) {
            try {
                apply(last);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ExecutionException(last.commandSpec().commandLine(), e.getMessage(), e);
            }
        }
        return next.execute(parseResult);
    }

    private void apply(ParseResult pr) {
        CommandSpec spec = pr.commandSpec();
        ConfigMixin m = mixin(spec);
        if (m == null) {
            return;
        }
        if (m.file != null && m.noConfig) {
            throw new IllegalArgumentException("--config and --no-config exclude each other");
        }
        Path file = m.file;
        if (file == null && !m.noConfig && Files.isRegularFile(Path.of(ProjectConfig.FILE_NAME))) {
            file = Path.of(ProjectConfig.FILE_NAME);
        }
        if (file == null) {
            return;
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--config " + file + ": no such file");
        }
        ProjectConfig config = ProjectConfig.load(file, commandNames());
        Map<String, Set<String>> byCommand = keysByCommand();
        Set<String> topLevel = new TreeSet<>(RESERVED);
        byCommand.values().forEach(topLevel::addAll);
        config.checkKeys(topLevel, byCommand);
        for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
            if (!NO_CONFIG.contains(e.getKey()) && !e.getKey().equals(spec.name())) {
                values(e.getValue().getCommandSpec(), config);
            }
        }
        boolean rules = false;
        for (Map.Entry<OptionSpec, Object> v : values(spec, config).entrySet()) {
            OptionSpec o = v.getKey();
            rules |= "rules".equals(key(o));
            if (!pr.hasMatchedOption(o)) {
                o.setValue(v.getValue());
            }
        }
        rules |= spec.options().stream().anyMatch(o -> "rules".equals(key(o)) && pr.hasMatchedOption(o));
        m.config = config;
        if (!rules) {
            config.policy(Set.of(), m.clock);
        }
    }

    /**
     * @return the file's value for each option of {@code spec} that has one, converted to the option's
     *         type (so a bad value is reported whichever command runs)
     * @throws ConfigException for a value the option cannot take
     */
    private static Map<OptionSpec, Object> values(CommandSpec spec, ProjectConfig config) {
        Map<OptionSpec, Object> out = new LinkedHashMap<>();
        for (OptionSpec o : spec.options()) {
            String key = key(o);
            if (key == null) {
                continue;
            }
            boolean top = !REPORT_KEYS.contains(key) || REPORT_COMMANDS.contains(spec.name());
            ProjectConfig.Setting s = config.setting(spec.name(), key, top);
            if (s != null) {
                out.put(o, convert(o, s, config));
            }
        }
        return out;
    }

    private Set<String> commandNames() {
        Set<String> names = new TreeSet<>(root.getSubcommands().keySet());
        names.removeAll(NO_CONFIG);
        return names;
    }

    /** Each configurable command's option keys (plus the reserved keys for audit and gate). */
    private Map<String, Set<String>> keysByCommand() {
        Map<String, Set<String>> out = new TreeMap<>();
        for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
            if (NO_CONFIG.contains(e.getKey())) {
                continue;
            }
            Set<String> keys = new TreeSet<>();
            for (OptionSpec o : e.getValue().getCommandSpec().options()) {
                String k = key(o);
                if (k != null) {
                    keys.add(k);
                }
            }
            if (REPORT_COMMANDS.contains(e.getKey())) {
                keys.addAll(RESERVED);
            }
            out.put(e.getKey(), keys);
        }
        return out;
    }

    /** @return the option's key in the file (its long name without dashes), or null when it has none */
    static String key(OptionSpec o) {
        if (o.usageHelp() || o.versionHelp()) {
            return null;
        }
        String name = o.longestName();
        if (!name.startsWith("--")) {
            return null;
        }
        String k = name.substring(2);
        return NOT_KEYS.contains(k) ? null : k;
    }

    private static ConfigMixin mixin(CommandSpec spec) {
        for (CommandSpec m : spec.mixins().values()) {
            if (m.userObject() instanceof ConfigMixin c) {
                return c;
            }
        }
        return null;
    }

    /**
     * Converts a file value to the option's Java type: text, numbers, booleans, paths (resolved
     * against the file's folder), lists of those (a YAML list, or one value split as the option
     * splits its argument) and maps of text (a YAML map, or a list of {@code KEY=VALUE}).
     */
    private static Object convert(OptionSpec o, ProjectConfig.Setting s, ProjectConfig config) {
        Class<?> type = o.type();
        ConfigNode v = s.value();
        if (Collection.class.isAssignableFrom(type)) {
            Class<?> element = o.auxiliaryTypes().length > 0 ? o.auxiliaryTypes()[0] : String.class;
            List<Object> out = new ArrayList<>();
            for (ConfigNode.Scalar item : items(v, o, s, config)) {
                out.add(scalar(element, item, s, config));
            }
            return out;
        }
        if (Map.class.isAssignableFrom(type)) {
            Map<String, String> out = new LinkedHashMap<>();
            if (v instanceof ConfigNode.Mapping m) {
                for (ConfigNode.Entry e : m.entries().values()) {
                    if (!(e.value() instanceof ConfigNode.Scalar sc)) {
                        throw config.error(s, "values under " + s.key() + " must be single values");
                    }
                    out.put(e.key(), sc.text());
                }
                return out;
            }
            for (ConfigNode.Scalar item : items(v, o, s, config)) {
                int eq = item.text().indexOf('=');
                if (eq <= 0) {
                    throw config.error(s, "expected KEY=VALUE or a map, got '" + item.text() + "'");
                }
                out.put(item.text().substring(0, eq), item.text().substring(eq + 1));
            }
            return out;
        }
        if (!(v instanceof ConfigNode.Scalar sc)) {
            throw config.error(s, "takes a single value, not " + v.shape());
        }
        return scalar(type, sc, s, config);
    }

    private static List<ConfigNode.Scalar> items(ConfigNode v, OptionSpec o, ProjectConfig.Setting s,
                                                 ProjectConfig config) {
        List<ConfigNode.Scalar> out = new ArrayList<>();
        if (v instanceof ConfigNode.Sequence q) {
            for (ConfigNode n : q.items()) {
                if (!(n instanceof ConfigNode.Scalar sc)) {
                    throw config.error(s, "list items must be single values, not " + n.shape());
                }
                out.add(sc);
            }
        } else if (v instanceof ConfigNode.Scalar sc) {
            if (sc.isNull()) {
                return out;
            }
            String split = o.splitRegex();
            if (split == null || split.isEmpty()) {
                out.add(sc);
            } else {
                for (String part : sc.text().split(split)) {
                    out.add(new ConfigNode.Scalar(part.strip(), sc.type(), sc.line()));
                }
            }
        } else {
            throw config.error(s, "takes a value or a list, not " + v.shape());
        }
        return out;
    }

    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    private static Object scalar(Class<?> type, ConfigNode.Scalar v, ProjectConfig.Setting s, ProjectConfig config) {
        String text = v.text().strip();
        if (type == boolean.class || type == Boolean.class) {
            if (v.type() != ConfigNode.Type.BOOLEAN) {
                throw config.error(s, "'" + text + "' is not true or false");
            }
            return Set.of("true", "yes", "on", "y").contains(text.toLowerCase(Locale.ROOT));
        }
        if (v.isNull()) {
            throw config.error(s, "has no value");
        }
        if (type == String.class || type == Object.class) {
            return v.text();
        }
        if (type == Path.class) {
            return config.resolve(text);
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            if (!INTEGER.matcher(text).matches()) {
                throw config.error(s, "'" + text + "' is not a whole number");
            }
            try {
                long n = Long.parseLong(text);
                if (type == int.class || type == Integer.class) {
                    return Math.toIntExact(n);
                }
                return n;
            } catch (ArithmeticException | NumberFormatException e) {
                throw config.error(s, "'" + text + "' is too large");
            }
        }
        throw new ConfigException(config.file().toString(), s.line(), s.path(),
                "cannot be set in the project configuration; give it on the command line");
    }
}
