package io.driftwatch.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The texts of the built-in rules (description, fix hint, reference URL), read once from the
 * classpath resource {@value #RESOURCE} (the project's {@code rules/catalog.yaml}, packaged by the
 * pom's resource block).
 *
 * <p>Format ({@code format: 1}): a top-level mapping with {@code format} and {@code rules}, a list
 * of mappings with exactly these keys: {@code id} ({@code DW101}), {@code name} (the slug,
 * kebab-case), {@code severity} ({@code error}, {@code warning} or {@code info}), {@code title} (one
 * line), {@code description} and {@code fix} (non-blank prose; Markdown inline code allowed) and the
 * optional {@code see} (an {@code https://} URL). Texts are trimmed.
 *
 * <p>The catalog must agree with the {@link Rule} constants: the same ids in the same order, and per
 * rule the same slug, default severity and title ({@link #problems}). The Java constants keep those
 * literally, so code stays compile-time safe, and the catalog is checked against them.
 *
 * <p>Loading is lazy (on the first {@link Rule#description()}, {@link Rule#fix()} or
 * {@link Rule#see()} of a built-in rule) and thread-safe (class initialisation of a holder class).
 * A missing, unreadable or malformed catalog, or one that disagrees with the Java constants, is a
 * packaging bug, not user input: the first access throws {@link ExceptionInInitializerError} whose
 * cause is an {@link IllegalStateException} naming the resource and every problem found.
 */
final class RuleCatalog {

    /** Classpath name of the catalog. */
    static final String RESOURCE = "rules/catalog.yaml";

    /** The only {@code format} this class reads. */
    static final int FORMAT = 1;

    private static final Set<String> ENTRY_KEYS = Set.of("id", "name", "severity", "title", "description", "fix", "see",
            "wing");
    private static final Set<String> ROOT_KEYS = Set.of("format", "rules");

    /**
     * One rule as the catalog describes it.
     *
     * @param id          e.g. {@code DW101}
     * @param name        the slug, e.g. {@code extra-index}
     * @param severity    default severity
     * @param title       one line
     * @param description what the rule detects, why it matters, its typical cause
     * @param fix         the next step
     * @param see         reference URL, or "" when the catalog gives none
     */
    record Entry(String id, String name, Severity severity, String title, String description, String fix,
                 String see, String wing) {
    }

    private RuleCatalog() {
    }

    private static final class Holder {
        static final Map<String, Entry> ENTRIES = loadChecked();
    }

    /**
     * @param id a built-in rule id
     * @return its description; "" when the catalog has no such id (never for a built-in rule)
     * @throws ExceptionInInitializerError when the catalog is missing or broken (see the class comment)
     */
    static String description(String id) {
        Entry e = Holder.ENTRIES.get(id);
        return e == null ? "" : e.description();
    }

    /**
     * @param id a built-in rule id
     * @return its fix hint; "" when the catalog has no such id
     * @throws ExceptionInInitializerError when the catalog is missing or broken
     */
    static String fix(String id) {
        Entry e = Holder.ENTRIES.get(id);
        return e == null ? "" : e.fix();
    }

    /**
     * @param id a built-in rule id
     * @return its reference URL, or "" when it has none
     * @throws ExceptionInInitializerError when the catalog is missing or broken
     */
    static String see(String id) {
        Entry e = Holder.ENTRIES.get(id);
        return e == null ? "" : e.see();
    }

    /**
     * @return the loaded catalog, by id in file order (unmodifiable)
     * @throws ExceptionInInitializerError when the catalog is missing or broken
     */
    static Map<String, Entry> entries() {
        return Holder.ENTRIES;
    }

    private static Map<String, Entry> loadChecked() {
        Map<String, Entry> entries;
        try (InputStream in = RuleCatalog.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath: the build did not package "
                        + "the rule catalog (see the rules/** resource in pom.xml)");
            }
            entries = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + RESOURCE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read classpath:" + RESOURCE + ": " + e.getMessage(), e);
        }
        List<String> problems = problems(entries, Rule.core());
        if (!problems.isEmpty()) {
            throw new IllegalStateException("classpath:" + RESOURCE + " disagrees with io.driftwatch.policy.Rule: "
                    + String.join("; ", problems));
        }
        return entries;
    }

    /**
     * Parses and validates a catalog's text (structure only; see {@link #problems} for the agreement
     * with the Java constants).
     *
     * @param yaml   the catalog's text
     * @param source where it came from, named in messages (e.g. {@code rules/catalog.yaml})
     * @return the entries by id, in file order (unmodifiable)
     * @throws IllegalStateException naming {@code source} and every problem found: not YAML, a
     *                               duplicate key, a wrong or missing {@code format}, a missing,
     *                               blank, non-text or unknown field, a malformed id, slug, severity
     *                               or URL, a duplicate id or slug
     */
    static Map<String, Entry> parse(String yaml, String source) {
        JsonNode root;
        try {
            YAMLMapper mapper = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
            root = mapper.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(source + " is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        }
        List<String> problems = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new IllegalStateException(source + ": expected a mapping with 'format: " + FORMAT + "' and 'rules'");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!ROOT_KEYS.contains(k)) {
                problems.add("unknown top-level key '" + k + "'");
            }
        }
        JsonNode format = root.get("format");
        if (format == null || !format.isInt() || format.intValue() != FORMAT) {
            problems.add("'format' must be " + FORMAT + ", got " + (format == null ? "nothing" : format.toString()));
        }
        JsonNode rules = root.get("rules");
        Map<String, Entry> out = new LinkedHashMap<>();
        if (rules == null || !rules.isArray() || rules.isEmpty()) {
            problems.add("'rules' must be a non-empty list");
        } else {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < rules.size(); i++) {
                Entry e = entry(rules.get(i), i + 1, problems);
                if (e == null) {
                    continue;
                }
                if (out.containsKey(e.id())) {
                    problems.add("rule " + e.id() + " is listed twice");
                } else if (!names.add(e.name())) {
                    problems.add("rule " + e.id() + ": name '" + e.name() + "' is used by another rule");
                } else {
                    out.put(e.id(), e);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(source + ": " + String.join("; ", problems));
        }
        return Collections.unmodifiableMap(out);
    }

    /** @return the entry, or null after adding its problems */
    private static Entry entry(JsonNode node, int position, List<String> problems) {
        String where = "rule #" + position;
        if (node == null || !node.isObject()) {
            problems.add(where + " is not a mapping");
            return null;
        }
        JsonNode idNode = node.get("id");
        if (idNode != null && idNode.isTextual()) {
            where = "rule #" + position + " (" + idNode.textValue() + ")";
        }
        int before = problems.size();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!ENTRY_KEYS.contains(k)) {
                problems.add(where + ": unknown key '" + k + "'");
            }
        }
        String id = text(node, "id", true, where, problems);
        String name = text(node, "name", true, where, problems);
        String severity = text(node, "severity", true, where, problems);
        String title = text(node, "title", true, where, problems);
        String description = text(node, "description", true, where, problems);
        String fix = text(node, "fix", true, where, problems);
        String see = text(node, "see", false, where, problems);
        String wing = text(node, "wing", false, where, problems);
        if (wing != null && !wing.matches("[a-z]+")) {
            problems.add(where + ": wing '" + wing + "' must be a lower-case wing name, e.g. alembic");
        }
        if (id != null && !id.matches("[A-Z][A-Z_]*[0-9]+")) {
            problems.add(where + ": id '" + id + "' must be capital letters then digits, e.g. DW101");
        }
        if (name != null && !name.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            problems.add(where + ": name '" + name + "' must be kebab-case, e.g. extra-index");
        }
        Severity sev = null;
        if (severity != null) {
            try {
                sev = Severity.valueOf(severity.toUpperCase(Locale.ROOT));
                if (!sev.label().equals(severity)) {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                problems.add(where + ": severity '" + severity + "' must be error, warning or info");
            }
        }
        if (title != null && title.contains("\n")) {
            problems.add(where + ": title must be one line");
        }
        if (see != null && !see.matches("https://\\S+")) {
            problems.add(where + ": see '" + see + "' must be one https:// URL");
        }
        if (problems.size() > before) {
            return null;
        }
        return new Entry(id, name, sev, title, description, fix, see == null ? "" : see, wing);
    }

    private static String text(JsonNode node, String key, boolean required, String where, List<String> problems) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                problems.add(where + ": '" + key + "' is missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            problems.add(where + ": '" + key + "' must be text, got " + v.getNodeType().name().toLowerCase(Locale.ROOT));
            return null;
        }
        String s = v.textValue().strip();
        if (s.isEmpty()) {
            problems.add(where + ": '" + key + "' is blank");
            return null;
        }
        return s;
    }

    /**
     * Compares a parsed catalog with the Java constants.
     *
     * @param entries  a parsed catalog ({@link #parse})
     * @param builtIns {@link Rule#values()}
     * @return one line per disagreement, empty when they agree: a built-in rule the catalog lacks, an
     *         id the catalog has and Java lacks, a slug, severity or title that differs, an entry out
     *         of id order
     */
    static List<String> problems(Map<String, Entry> entries, List<Rule> builtIns) {
        Objects.requireNonNull(entries, "entries");
        List<String> out = new ArrayList<>();
        Map<String, Rule> java = new LinkedHashMap<>();
        builtIns.forEach(r -> java.put(r.id(), r));
        for (Rule r : builtIns) {
            Entry e = entries.get(r.id());
            if (e == null) {
                out.add(r.id() + " " + r.slug() + " is a built-in rule but has no entry in the catalog");
                continue;
            }
            if (!e.name().equals(r.slug())) {
                out.add(r.id() + ": name is '" + e.name() + "' in the catalog but '" + r.slug() + "' in Rule.java");
            }
            if (e.severity() != r.defaultSeverity()) {
                out.add(r.id() + ": severity is " + e.severity().label() + " in the catalog but "
                        + r.defaultSeverity().label() + " in Rule.java");
            }
            if (!e.title().equals(r.title())) {
                out.add(r.id() + ": title is \"" + e.title() + "\" in the catalog but \"" + r.title() + "\" in Rule.java");
            }
        }
        for (Entry e : entries.values()) {
            if (e.wing() == null && !java.containsKey(e.id())) {
                out.add(e.id() + " is in the catalog but is not a built-in rule in Rule.java (a wing's rule says wing: NAME)");
            }
            if (e.wing() != null && java.containsKey(e.id())) {
                out.add(e.id() + " is a wing's rule (wing: " + e.wing() + ") but also a constant in Rule.java");
            }
        }
        List<String> ids = new ArrayList<>(entries.keySet());
        if (!ids.equals(ids.stream().sorted().toList())) {
            out.add("the catalog lists the rules out of id order (keep them in id order)");
        }
        List<String> catalogOrder = entries.keySet().stream().filter(java::containsKey).toList();
        List<String> javaOrder = java.keySet().stream().filter(entries::containsKey).toList();
        if (!catalogOrder.equals(javaOrder)) {
            out.add("the catalog lists the rules in another order than Rule.java (keep them in id order)");
        }
        return out;
    }
}
