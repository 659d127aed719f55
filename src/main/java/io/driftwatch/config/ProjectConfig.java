package io.driftwatch.config;

import io.driftwatch.base.Secrets;
import io.driftwatch.policy.Policy;
import io.driftwatch.policy.Severity;
import io.driftwatch.policy.SeverityOverride;
import io.driftwatch.policy.WaiverSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The project configuration file, {@code driftwatch.yaml}: defaults for command-line options (no
 * passwords), per-command sections, severity overrides and waivers. See {@code docs/config.md}.
 *
 * <pre>
 * url: postgresql://auditor@db.internal:5432/shop   # no password: PGPASSWORD or ~/.pgpass
 * migrations: [db/migration]
 * exclude: ["public.tmp_*"]
 * fail-on: warning
 * gate:                       # keys for one command only
 *   fail-on: error
 * severity:                   # rule id or slug: error | warning | info | off
 *   DW101: info
 * waivers:
 *   - rule: DW101
 *     object: "public.orders.*_idx"
 *     reason: reporting indexes owned by the BI team (JIRA-123)
 *     expires: 2027-03-31
 * </pre>
 *
 * <p>Loading checks the structure strictly and fails fast with a {@link ConfigException} naming
 * file, line and key: duplicate keys, a {@code password} key or a password inside a URL, an unknown
 * severity, a malformed waiver (missing rule, object or reason; bad glob; bad date; unknown key) and
 * a bad {@code fail-on}. Which option keys exist depends on the commands, so the CLI checks them with
 * {@link #checkKeys}; rule ids are checked by {@link #policy}, when the rules that may be named are
 * known. Immutable.
 */
public final class ProjectConfig {

    /** The file looked for in the working directory when {@code --config} is not given. */
    public static final String FILE_NAME = "driftwatch.yaml";

    /** Top-level keys that are not options: severity overrides and waivers. */
    public static final Set<String> SECTIONS = Set.of("severity", "waivers");

    private static final Set<String> WAIVER_KEYS = Set.of("rule", "object", "reason", "expires");
    private static final Set<String> FAIL_ON = Set.of("error", "warning", "info", "never");

    /**
     * One option default.
     *
     * @param key   the long option name without dashes, e.g. {@code fail-on}
     * @param path  where it is in the file, for messages: the key, or {@code gate.fail-on} in a section
     * @param line  1-based line of the key
     * @param value its value
     */
    public record Setting(String key, String path, int line, ConfigNode value) {
    }

    /** A rule named in the file, kept with its line so an unknown one is reported where it is written. */
    private record RuleRef(String rule, int line, String key) {
    }

    private final Path file;
    private final String display;
    private final Map<String, Setting> settings;
    private final Map<String, Map<String, Setting>> commands;
    private final List<SeverityOverride> severities;
    private final List<WaiverSpec> waivers;
    private final List<RuleRef> ruleRefs;

    private ProjectConfig(Path file, Map<String, Setting> settings, Map<String, Map<String, Setting>> commands,
                          List<SeverityOverride> severities, List<WaiverSpec> waivers, List<RuleRef> ruleRefs) {
        this.file = file;
        this.display = file.toString();
        this.settings = settings;
        this.commands = commands;
        this.severities = List.copyOf(severities);
        this.waivers = List.copyOf(waivers);
        this.ruleRefs = List.copyOf(ruleRefs);
    }

    /**
     * Reads and checks a configuration file.
     *
     * @param file         the file (its name as given is used in messages and waiver origins)
     * @param commandNames names of the commands that may have a section of their own ({@code audit:},
     *                     {@code gate:}, ...)
     * @return the configuration
     * @throws ConfigException when the file is missing, unreadable, not YAML, or invalid (see class comment)
     */
    public static ProjectConfig load(Path file, Set<String> commandNames) {
        String display = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(display, 0, null, "no such file");
        }
        ConfigNode.Mapping root = YamlReader.read(file, display);
        Map<String, Setting> settings = new LinkedHashMap<>();
        Map<String, Map<String, Setting>> commands = new LinkedHashMap<>();
        List<SeverityOverride> severities = new ArrayList<>();
        List<WaiverSpec> waivers = new ArrayList<>();
        List<RuleRef> refs = new ArrayList<>();
        for (ConfigNode.Entry e : root.entries().values()) {
            String key = e.key();
            if (key.equals("severity")) {
                severities(display, e, severities, refs);
            } else if (key.equals("waivers")) {
                waivers(display, e, waivers, refs);
            } else if (commandNames.contains(key)) {
                if (!(e.value() instanceof ConfigNode.Mapping m)) {
                    throw new ConfigException(display, e.line(), key, "is the '" + key + "' command's section: a map of "
                            + "its options, not " + e.value().shape() + "; an option named " + key
                            + " goes in a command's section (e.g. audit: {" + key + ": true})");
                }
                Map<String, Setting> section = new LinkedHashMap<>();
                for (ConfigNode.Entry s : m.entries().values()) {
                    if (SECTIONS.contains(s.key()) || commandNames.contains(s.key())) {
                        throw new ConfigException(display, s.line(), key + "." + s.key(),
                                "belongs at the top level of the file, not in the '" + key + "' section");
                    }
                    section.put(s.key(), option(display, key + ".", s));
                }
                commands.put(key, section);
            } else {
                settings.put(key, option(display, "", e));
            }
        }
        return new ProjectConfig(file, settings, commands, severities, waivers, refs);
    }

    /** Checks what every option value must satisfy whatever the command: no passwords, a valid fail-on. */
    private static Setting option(String display, String prefix, ConfigNode.Entry e) {
        String key = e.key();
        if (key.equals("password") || key.endsWith("-password")) {
            throw new ConfigException(display, e.line(), prefix + key,
                    "passwords do not belong in the project configuration: use PGPASSWORD, ~/.pgpass or --password");
        }
        for (ConfigNode.Scalar s : scalars(e.value())) {
            if (!s.text().equals(Secrets.maskUrl(s.text()))) {
                throw new ConfigException(display, s.line(), prefix + key, "holds a password (" + Secrets.maskUrl(s.text())
                        + " ): remove it and use PGPASSWORD, ~/.pgpass or --password");
            }
        }
        if (key.equals("fail-on")) {
            if (!(e.value() instanceof ConfigNode.Scalar s)
                    || !FAIL_ON.contains(s.text().strip().toLowerCase(Locale.ROOT))) {
                throw new ConfigException(display, e.value().line(), prefix + key, "'" + text(e.value())
                        + "' is not one of error, warning, info, never");
            }
        }
        return new Setting(key, prefix + key, e.line(), e.value());
    }

    private static void severities(String display, ConfigNode.Entry e, List<SeverityOverride> out, List<RuleRef> refs) {
        if (!(e.value() instanceof ConfigNode.Mapping m)) {
            throw new ConfigException(display, e.line(), "severity",
                    "must be a map of rule id to error, warning, info or off (e.g. DW101: info), not " + e.value().shape());
        }
        for (ConfigNode.Entry s : m.entries().values()) {
            String key = "severity." + s.key();
            String level = s.value() instanceof ConfigNode.Scalar sc ? sc.text().strip().toLowerCase(Locale.ROOT) : "";
            Severity severity = switch (level) {
                case "error" -> Severity.ERROR;
                case "warning" -> Severity.WARNING;
                case "info" -> Severity.INFO;
                case "off" -> null;
                default -> throw new ConfigException(display, s.line(), key, "'" + text(s.value())
                        + "' is not one of error, warning, info, off");
            };
            refs.add(new RuleRef(s.key(), s.line(), key));
            out.add(new SeverityOverride(s.key().strip(), severity, display + ":" + s.line()));
        }
    }

    private static void waivers(String display, ConfigNode.Entry e, List<WaiverSpec> out, List<RuleRef> refs) {
        if (!(e.value() instanceof ConfigNode.Sequence list)) {
            throw new ConfigException(display, e.line(), "waivers",
                    "must be a list of waivers (- rule: DW101, object: ..., reason: ...), not " + e.value().shape());
        }
        int i = 0;
        for (ConfigNode item : list.items()) {
            String at = "waivers[" + (++i) + "]";
            if (!(item instanceof ConfigNode.Mapping w)) {
                throw new ConfigException(display, item.line(), at,
                        "a waiver is a map with rule, object, reason and (optionally) expires, not " + item.shape());
            }
            for (ConfigNode.Entry k : w.entries().values()) {
                if (!WAIVER_KEYS.contains(k.key())) {
                    throw new ConfigException(display, k.line(), at + "." + k.key(),
                            "unknown key" + suggestion(k.key(), WAIVER_KEYS) + "; a waiver has rule, object, reason, expires");
                }
            }
            ConfigNode.Entry rule = required(display, w, at, "rule", "the rule id it accepts, e.g. rule: DW101");
            ConfigNode.Entry object = required(display, w, at, "object",
                    "a glob over qualified names, e.g. object: \"public.orders.*_idx\"");
            ConfigNode.Entry reason = required(display, w, at, "reason", "why this drift is accepted");
            List<String> rules = new ArrayList<>();
            for (ConfigNode.Scalar s : scalarList(display, rule, at + ".rule")) {
                rules.add(s.text().strip());
                refs.add(new RuleRef(s.text().strip(), s.line(), at + ".rule"));
            }
            if (rules.isEmpty()) {
                throw new ConfigException(display, rule.line(), at + ".rule", "names no rule");
            }
            String glob = single(display, object, at + ".object");
            String problem = globProblem(glob);
            if (problem != null) {
                throw new ConfigException(display, object.line(), at + ".object", problem);
            }
            String why = single(display, reason, at + ".reason").strip();
            if (why.isEmpty()) {
                throw new ConfigException(display, reason.line(), at + ".reason", "must not be empty: say why this drift is accepted");
            }
            LocalDate expires = null;
            ConfigNode.Entry exp = w.entries().get("expires");
            if (exp != null && !(exp.value() instanceof ConfigNode.Scalar sc && sc.isNull())) {
                String date = single(display, exp, at + ".expires").strip();
                try {
                    expires = LocalDate.parse(date);
                } catch (DateTimeParseException ex) {
                    throw new ConfigException(display, exp.line(), at + ".expires",
                            "'" + date + "' is not a date (YYYY-MM-DD, e.g. 2027-03-31)");
                }
            }
            out.add(new WaiverSpec(rules, glob, why, expires, display + ":" + w.line()));
        }
    }

    /**
     * @param glob a waiver's {@code object}
     * @return why it is not a usable glob, or null when it is: empty, control characters, three stars
     *         in a row, an empty name part (leading, trailing or doubled dot), or a SQL-quoted part
     *         (names are matched unquoted)
     */
    static String globProblem(String glob) {
        if (glob.isBlank()) {
            return "is empty: give a glob such as public.orders or public.tmp_*";
        }
        for (int i = 0; i < glob.length(); i++) {
            if (Character.isISOControl(glob.charAt(i))) {
                return "holds a control character";
            }
        }
        if (glob.contains("***")) {
            return "'" + glob + "' is not a valid glob: * matches within one name, ** across dots, nothing else";
        }
        if (glob.startsWith(".") || glob.endsWith(".") || glob.contains("..")) {
            return "'" + glob + "' has an empty name part (a leading, trailing or doubled dot)";
        }
        for (String part : glob.split("\\.")) {
            if (part.length() >= 2 && part.startsWith("\"") && part.endsWith("\"")) {
                return "'" + glob + "' quotes a name: patterns match unquoted names, write "
                        + part.substring(1, part.length() - 1).replace("\"\"", "\"") + " instead of " + part;
            }
        }
        return null;
    }

    private static ConfigNode.Entry required(String display, ConfigNode.Mapping w, String at, String key, String hint) {
        ConfigNode.Entry e = w.entries().get(key);
        if (e == null || (e.value() instanceof ConfigNode.Scalar s && s.isNull())) {
            throw new ConfigException(display, e == null ? w.line() : e.line(), at + "." + key, "is required: " + hint);
        }
        return e;
    }

    private static String single(String display, ConfigNode.Entry e, String key) {
        if (!(e.value() instanceof ConfigNode.Scalar s)) {
            throw new ConfigException(display, e.line(), key, "must be a single value, not " + e.value().shape());
        }
        return s.text();
    }

    private static List<ConfigNode.Scalar> scalarList(String display, ConfigNode.Entry e, String key) {
        if (e.value() instanceof ConfigNode.Scalar s) {
            List<ConfigNode.Scalar> out = new ArrayList<>();
            for (String part : s.text().split(",")) {
                if (!part.isBlank()) {
                    out.add(new ConfigNode.Scalar(part.strip(), s.type(), s.line()));
                }
            }
            return out;
        }
        if (e.value() instanceof ConfigNode.Sequence q) {
            List<ConfigNode.Scalar> out = new ArrayList<>();
            for (ConfigNode n : q.items()) {
                if (!(n instanceof ConfigNode.Scalar s)) {
                    throw new ConfigException(display, n.line(), key, "list items must be single values, not " + n.shape());
                }
                out.add(s);
            }
            return out;
        }
        throw new ConfigException(display, e.line(), key, "must be a value or a list, not " + e.value().shape());
    }

    /** Every scalar in a value (for the password check). */
    private static List<ConfigNode.Scalar> scalars(ConfigNode n) {
        List<ConfigNode.Scalar> out = new ArrayList<>();
        if (n instanceof ConfigNode.Scalar s) {
            out.add(s);
        } else if (n instanceof ConfigNode.Sequence q) {
            q.items().forEach(i -> out.addAll(scalars(i)));
        } else if (n instanceof ConfigNode.Mapping m) {
            m.entries().values().forEach(en -> out.addAll(scalars(en.value())));
        }
        return out;
    }

    private static String text(ConfigNode n) {
        return n instanceof ConfigNode.Scalar s ? s.text() : n.shape();
    }

    /**
     * Checks the option keys against what the commands know. A top-level key is accepted when some
     * command has that option (a key only {@code gate} knows is fine while running {@code audit}); a
     * key in a command's section must be one of that command's options.
     *
     * @param topLevel  every option key of every command, plus reserved keys
     * @param byCommand each command's option keys (its section's allowed keys)
     * @throws ConfigException naming the first unknown key, its line and the closest known key
     */
    public void checkKeys(Set<String> topLevel, Map<String, Set<String>> byCommand) {
        for (Setting s : settings.values()) {
            if (!topLevel.contains(s.key())) {
                throw new ConfigException(display, s.line(), s.key(), "unknown key" + suggestion(s.key(), topLevel)
                        + "; keys are the long options of the commands (see docs/config.md)");
            }
        }
        for (Map.Entry<String, Map<String, Setting>> c : commands.entrySet()) {
            Set<String> known = byCommand.getOrDefault(c.getKey(), Set.of());
            for (Setting s : c.getValue().values()) {
                if (!known.contains(s.key())) {
                    throw new ConfigException(display, s.line(), c.getKey() + "." + s.key(), "driftwatch "
                            + c.getKey() + " has no option --" + s.key() + suggestion(s.key(), known));
                }
            }
        }
    }

    /**
     * @param command       the command being run, e.g. {@code audit}
     * @param key           an option key, e.g. {@code fail-on}
     * @param fromTopLevel  whether a top-level value applies to this command
     * @return the value from the command's section, else (when allowed) the top-level one; null when neither
     */
    public Setting setting(String command, String key, boolean fromTopLevel) {
        Map<String, Setting> section = commands.get(command);
        if (section != null && section.containsKey(key)) {
            return section.get(key);
        }
        return fromTopLevel ? settings.get(key) : null;
    }

    /** @return the top-level option defaults by key, in file order */
    public Map<String, Setting> settings() {
        return java.util.Collections.unmodifiableMap(settings);
    }

    /** @return the command sections: command → its option defaults */
    public Map<String, Map<String, Setting>> commands() {
        return java.util.Collections.unmodifiableMap(commands);
    }

    /** @return the severity overrides, in file order */
    public List<SeverityOverride> severities() {
        return severities;
    }

    /** @return the waivers, in file order */
    public List<WaiverSpec> waivers() {
        return waivers;
    }

    /** @return the file as given */
    public Path file() {
        return file;
    }

    /**
     * @param path a path written in the file
     * @return it resolved against the file's folder (relative paths in the file are relative to it)
     */
    public Path resolve(String path) {
        Path p = Path.of(path);
        Path dir = file.getParent();
        return p.isAbsolute() || dir == null ? p : dir.resolve(p);
    }

    /**
     * @param setting a setting of this file
     * @param problem what is wrong with its value
     * @return an exception naming this file, the setting's line and key
     */
    public ConfigException error(Setting setting, String problem) {
        return new ConfigException(display, setting.value().line(), setting.path(), problem);
    }

    /**
     * Builds the policy, checking every rule the file names.
     *
     * @param extraRules ids and slugs of rules defined outside the built-in ones (loaded SQL rules, the
     *                   lint pack); empty when none are loaded
     * @param clock      today's date for expiry
     * @return the policy of this file
     * @throws ConfigException naming the first unknown rule, its line and key
     */
    public Policy policy(Set<String> extraRules, Clock clock) {
        for (RuleRef r : ruleRefs) {
            if (!Policy.knownRule(r.rule(), extraRules)) {
                throw new ConfigException(display, r.line(), r.key(), "unknown rule '" + r.rule()
                        + "': give a rule id such as DW101 or its name such as extra-index (see rules/README.md)");
            }
        }
        return new Policy(severities, waivers, extraRules, clock, display);
    }

    /**
     * @param key   an unknown key
     * @param known the keys allowed there
     * @return {@code " (did you mean 'fail-on'?)"} for a near miss, else ""
     */
    static String suggestion(String key, Collection<String> known) {
        String k = key.toLowerCase(Locale.ROOT).replace('_', '-');
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : new TreeSet<>(known)) {
            int d = distance(k, c);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best != null && bestDistance <= Math.max(1, Math.min(3, key.length() / 3))
                ? " (did you mean '" + best + "'?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
