package io.driftwatch.report;

import io.driftwatch.base.AtomicFileWriter;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.policy.AuditResult;
import io.driftwatch.policy.Rehearsal;
import io.driftwatch.model.HistoryEntry;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Rule;
import io.driftwatch.policy.RuleDocs;
import io.driftwatch.policy.Severity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Writes {@code report.sarif}: the findings as a SARIF 2.1.0 log (OASIS "Static Analysis Results
 * Interchange Format" 2.1.0, errata 01), the format GitHub code scanning, GitLab and Azure DevOps read.
 *
 * <p>Shape: one run; {@code tool.driver} is {@code driftwatch} with its version and the rules the
 * findings use ({@code id} = {@code DW116}, {@code name} = slug, {@code shortDescription} = title,
 * {@code fullDescription} = the rule's description, {@code help} = its fix hint (text, and Markdown
 * with a link to the rule's section of {@code docs/rules.md}), {@code helpUri} = the rule's reference
 * URL ({@link Rule#see()}) or, when it has none, its section of {@code docs/rules.md} (built-in rules
 * only), {@code defaultConfiguration.level} from the rule's default severity; the texts come from
 * {@code rules/catalog.yaml}, empty ones are left out); one {@code result} per finding, ordered as in every report (most severe
 * first), with {@code ruleId}, {@code ruleIndex}, {@code level} (error → {@code error}, warning →
 * {@code warning}, info → {@code note}), {@code message.text}, a {@code logicalLocation} naming the
 * database object ({@code fullyQualifiedName}, {@code kind}) and, for a finding about a migration
 * whose script can be found under one of {@code expected().locations()} (a {@code filesystem:}
 * prefix is stripped; {@code classpath:} locations are not searched), a {@code physicalLocation}
 * whose {@code artifactLocation.uri} is the script's path relative to the working directory
 * ({@code /}-separated), or its absolute {@code file:} URI when it lies outside it. Expected and
 * actual definitions go into the result's {@code properties}. A waived finding carries one
 * {@code suppressions} entry (SARIF 2.1.0 §3.27.23, §3.35): {@code kind} {@code inSource} for an
 * inline {@code driftwatch:ignore} comment, {@code external} for a {@code driftwatch.yaml} waiver,
 * {@code status} {@code accepted}, the reason as {@code justification}, and origin and expiry in its
 * {@code properties}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SarifReporter {

    /** The {@code $schema} written into every log. */
    public static final String SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";

    /** SARIF version written into every log. */
    public static final String SARIF_VERSION = "2.1.0";

    /** Where the rules are documented; anchors are {@link RuleDocs#anchor}, e.g. {@code #dw101-extra-index}. */
    public static final String RULES_URI = "https://github.com/driftwatch/driftwatch/blob/main/" + RuleDocs.PATH;

    /** Project home written as {@code tool.driver.informationUri}. */
    public static final String INFORMATION_URI = "https://github.com/driftwatch/driftwatch";

    private final ObjectMapper mapper;
    private final Path workingDirectory;

    /** Creates a reporter resolving script paths against the process working directory. */
    public SarifReporter() {
        this(Paths.get("").toAbsolutePath());
    }

    /**
     * @param workingDirectory directory that {@code artifactLocation.uri} paths are relative to
     */
    public SarifReporter(Path workingDirectory) {
        this.workingDirectory = workingDirectory.toAbsolutePath().normalize();
        this.mapper = new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    /**
     * Writes the log atomically (temp file in the same directory, then a move).
     *
     * @param result the audit
     * @param file   target file, typically {@code report.sarif}; parent directories are created
     * @throws IOException when the file cannot be written; an existing file is then left unchanged
     */
    public void write(AuditResult result, Path file) throws IOException {
        ObjectNode doc = toJson(result);
        AtomicFileWriter.write(file, out -> {
            mapper.writeValue(out, doc);
            out.write('\n');
        });
    }

    /**
     * @param result the audit
     * @return the log as pretty-printed JSON text (no trailing newline)
     */
    public String render(AuditResult result) {
        try {
            return mapper.writeValueAsString(toJson(result));
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    /**
     * @param result the audit
     * @return the log as a fresh Jackson tree
     */
    public ObjectNode toJson(AuditResult result) {
        List<Finding> findings = ReportFacts.ordered(result.findings());
        Map<Rule, Integer> ruleIndex = new LinkedHashMap<>();
        for (Finding f : findings) {
            ruleIndex.putIfAbsent(f.rule(), ruleIndex.size());
        }
        Function<Finding, Optional<String>> scripts = scriptLocator(result);

        ObjectNode root = mapper.createObjectNode();
        root.put("$schema", SCHEMA_URI);
        root.put("version", SARIF_VERSION);
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "driftwatch");
        driver.put("version", result.toolVersion());
        driver.put("informationUri", INFORMATION_URI);
        ArrayNode rules = driver.putArray("rules");
        for (Rule rule : ruleIndex.keySet()) {
            ObjectNode r = rules.addObject();
            r.put("id", rule.id());
            r.put("name", rule.slug());
            r.putObject("shortDescription").put("text", rule.title());
            ruleTexts(rule, r);
            r.putObject("defaultConfiguration").put("level", level(rule.defaultSeverity()));
        }

        ArrayNode results = run.putArray("results");
        for (Finding f : findings) {
            ObjectNode r = results.addObject();
            r.put("ruleId", f.rule().id());
            r.put("ruleIndex", ruleIndex.get(f.rule()));
            r.put("level", level(f.severity()));
            r.putObject("message").put("text", ReportFacts.showControls(f.message() == null || f.message().isBlank()
                    ? f.rule().title() : f.message(), false));
            ObjectNode location = r.putArray("locations").addObject();
            Optional<String> uri = scripts.apply(f);
            uri.ifPresent(u -> location.putObject("physicalLocation").putObject("artifactLocation").put("uri", u));
            ObjectRef ref = f.object();
            ObjectNode logical = location.putArray("logicalLocations").addObject();
            logical.put("name", ReportFacts.showControls(ref.name(), false));
            logical.put("fullyQualifiedName", ReportFacts.showControls(ref.qualifiedName(), false));
            logical.put("kind", ReportFacts.kindToken(ref.kind()));
            ObjectNode props = r.putObject("properties");
            props.put("severity", f.severity().label());
            props.put("rule", f.rule().slug());
            props.put("expected", f.expected());
            props.put("actual", f.actual());
            if (f.waived()) {
                ObjectNode s = r.putArray("suppressions").addObject();
                s.put("kind", f.waiver().inline() ? "inSource" : "external");
                s.put("status", "accepted");
                s.put("justification", ReportFacts.showControls(f.waiver().reason(), false));
                ObjectNode sp = s.putObject("properties");
                sp.put("origin", f.waiver().origin());
                sp.put("expires", f.waiver().expires() == null ? null : f.waiver().expires().toString());
            }
        }
        ObjectNode invocationProps = run.putArray("invocations").addObject()
                .put("executionSuccessful", true)
                .putObject("properties");
        invocationProps.put("status", ReportFacts.status(result));
        invocationProps.put("failOn", ReportFacts.failOn(result));
        invocationProps.put("failed", result.failed());
        invocationProps.put("target", ReportFacts.maskUrl(result.target().url()));
        return root;
    }

    /**
     * The rule's {@code fullDescription}, {@code help} and {@code helpUri} (SARIF 2.1.0 §3.49.13, §3.49.14,
     * §3.49.12); each is left out when the rule has no such text.
     */
    private static void ruleTexts(Rule rule, ObjectNode r) {
        String description = rule.description().strip();
        String fix = rule.fix().strip();
        String see = rule.see().strip();
        String docs = rule.isBuiltIn() ? RULES_URI + "#" + RuleDocs.anchor(rule) : null;
        if (!description.isEmpty()) {
            ObjectNode full = r.putObject("fullDescription");
            full.put("text", plain(description));
            full.put("markdown", description);
        }
        if (!fix.isEmpty()) {
            StringBuilder md = new StringBuilder("**Fix:** ").append(fix);
            if (!see.isEmpty()) {
                md.append("\n\nSee: <").append(see).append('>');
            }
            if (docs != null) {
                md.append("\n\n[").append(rule.display()).append(" in the Driftwatch rules](").append(docs).append(')');
            }
            ObjectNode help = r.putObject("help");
            help.put("text", plain(fix) + (see.isEmpty() ? "" : " See: " + see));
            help.put("markdown", md.toString());
        }
        String uri = !see.isEmpty() ? see : docs;
        if (uri != null) {
            r.put("helpUri", uri);
        }
    }

    /** @return catalog Markdown as plain text: inline-code backticks removed */
    private static String plain(String markdown) {
        return markdown.replace("`", "");
    }

    /** SARIF {@code level} of a severity: error → error, warning → warning, info → note. */
    static String level(Severity s) {
        return switch (s) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case INFO -> "note";
        };
    }

    /**
     * Finds the script a migration finding names. A {@link ObjectKind#HISTORY} finding's name is
     * {@code V3}, {@code 3}, {@code R description} or a script name; it is matched against the
     * version table lines and the rehearsal's steps, then the file is looked up (by file name,
     * at most 10 directory levels deep) under the {@code filesystem:} or plain locations.
     */
    private Function<Finding, Optional<String>> scriptLocator(AuditResult result) {
        Map<String, Optional<String>> cache = new LinkedHashMap<>();
        return f -> {
            if (f.object().kind() != ObjectKind.HISTORY || f.object().name() == null) {
                return Optional.empty();
            }
            Set<String> candidates = scriptNames(result, f.object().name());
            for (String script : candidates) {
                Optional<String> uri = cache.computeIfAbsent(script, s -> locate(result.expected().locations(), s));
                if (uri.isPresent()) {
                    return uri;
                }
            }
            return Optional.empty();
        };
    }

    private static Set<String> scriptNames(AuditResult result, String name) {
        Set<String> names = new LinkedHashSet<>();
        for (HistoryEntry m : result.history().entries()) {
            if (m.script() != null && names(m.id(), m.script()).contains(name)) {
                names.add(m.script());
            }
        }
        Rehearsal r = result.rehearsal();
        if (r != null) {
            for (Rehearsal.Step s : r.migrations()) {
                if (s.script() != null && names(s.id(), s.script()).contains(name)) {
                    names.add(s.script());
                }
            }
        }
        if (name.endsWith(".sql")) {
            names.add(name);
        }
        return names;
    }

    /** @return the names a history finding may use for a migration: its script, its id, and a Flyway id's bare version */
    private static Set<String> names(String id, String script) {
        Set<String> n = new LinkedHashSet<>();
        n.add(script);
        if (id != null) {
            n.add(id);
            if (id.startsWith("V")) {
                n.add(id.substring(1));
            }
        }
        return n;
    }

    private Optional<String> locate(List<String> locations, String script) {
        String fileName = Paths.get(script.replace('\\', '/')).getFileName().toString();
        for (String location : locations) {
            String dir = location;
            if (dir.startsWith("filesystem:")) {
                dir = dir.substring("filesystem:".length());
            } else if (dir.contains(":") && !dir.matches("^[A-Za-z]:[\\\\/].*")) {
                continue;
            }
            Path root;
            try {
                root = Paths.get(dir);
            } catch (RuntimeException e) {
                continue;
            }
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root, 10)) {
                Optional<Path> hit = files.filter(p -> p.getFileName() != null
                        && p.getFileName().toString().equals(fileName) && Files.isRegularFile(p)).findFirst();
                if (hit.isPresent()) {
                    return Optional.of(uri(hit.get()));
                }
            } catch (IOException | UncheckedIOException e) {
                // an unreadable folder only means no physical location
            }
        }
        return Optional.empty();
    }

    private String uri(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        if (abs.startsWith(workingDirectory)) {
            List<String> parts = new ArrayList<>();
            workingDirectory.relativize(abs).forEach(p -> parts.add(encode(p.toString())));
            return String.join("/", parts);
        }
        return abs.toUri().toString();
    }

    /** Percent-encodes what may not appear in a URI path segment (RFC 3986 pchar), as UTF-8. */
    private static String encode(String segment) {
        StringBuilder sb = new StringBuilder();
        for (byte b : segment.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=@".indexOf(c) >= 0;
            if (plain) {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return sb.toString();
    }
}
