package io.driftwatch.policy;

import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.SchemaModel;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A project's policy over an audit's findings: severity overrides and waivers from
 * {@code driftwatch.yaml} ({@link SeverityOverride}, {@link WaiverSpec}) plus inline
 * {@code driftwatch:ignore} waivers found in object comments ({@link InlineWaivers}).
 *
 * <p>{@link #apply} works in this order, then sorts by {@link Classifier#ORDER}:
 * <ol>
 *   <li>A comment finding ({@code DW162}–{@code DW164}) whose two sides are equal once their
 *       {@code driftwatch:ignore} clauses are removed is dropped: a waiver comment is not drift.</li>
 *   <li>Severity overrides: the first override naming a finding's rule sets its severity, or drops it
 *       ({@code off}).</li>
 *   <li>Waivers: a finding is accepted by the first unexpired inline waiver on its object or an object
 *       containing it (the commented object itself; a table's or view's columns, constraints, indexes,
 *       triggers and policies; everything in a commented schema; comments, privileges and owners of
 *       those), else by the first unexpired configuration waiver whose rules name its rule and whose
 *       glob matches its name. Findings already waived stay as they are.</li>
 *   <li>Findings about the policy itself: {@code DW401 expired-waiver} for every expired waiver (its
 *       findings are reported again and fail the run as before), {@code DW402 unused-waiver} for an
 *       unexpired configuration waiver that matched no finding, {@code DW403 invalid-inline-waiver}
 *       for a {@code driftwatch:ignore} clause with an unknown rule, no reason or a bad date (it
 *       waives nothing). Severity overrides apply to these too.</li>
 * </ol>
 * A waiver holds through its {@code expires} day (inclusive), judged by the injected {@link Clock}'s
 * date. Immutable; thread-safe.
 */
public final class Policy {

    private static final Set<Rule> COMMENT_RULES = Set.of(Rule.DW162, Rule.DW163, Rule.DW164);
    private static final Set<Rule> OWN_RULES = Set.of(Rule.DW401, Rule.DW402, Rule.DW403);

    private final List<SeverityOverride> severities;
    private final List<WaiverSpec> waivers;
    private final List<Pattern> patterns;
    private final Set<String> extraRules;
    private final Clock clock;
    private final String source;

    /**
     * @param severities severity overrides, first match wins
     * @param waivers    configuration waivers, first unexpired match wins
     * @param extraRules ids and slugs of rules defined outside {@link Rule#values()} (SQL rules, the
     *                   lint pack): inline waivers may name them
     * @param clock      gives today's date for expiry
     * @param source     the configuration file's name for the audit's notes, or null when none
     */
    public Policy(List<SeverityOverride> severities, List<WaiverSpec> waivers, Set<String> extraRules, Clock clock,
                  String source) {
        this.severities = List.copyOf(severities);
        this.waivers = List.copyOf(waivers);
        this.patterns = this.waivers.stream().map(WaiverSpec::pattern).toList();
        this.extraRules = Set.copyOf(extraRules);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.source = source;
    }

    /** @return the policy without a configuration file: inline waivers only, today from the system clock */
    public static Policy defaults() {
        return new Policy(List.of(), List.of(), Set.of(), Clock.systemDefaultZone(), null);
    }

    /**
     * @param c another clock (tests)
     * @return this policy judging expiry by {@code c}
     */
    public Policy withClock(Clock c) {
        return new Policy(severities, waivers, extraRules, c, source);
    }

    /** @return the severity overrides */
    public List<SeverityOverride> severities() {
        return severities;
    }

    /** @return the configuration waivers */
    public List<WaiverSpec> waivers() {
        return waivers;
    }

    /**
     * @param run    the audit behind {@code result} (its models hold the comments of inline waivers); null
     *               when there are no models (then only the configuration applies)
     * @param result the audit's result
     * @return a new result with the policy applied (see the class comment), findings in
     *         {@link Classifier#ORDER}, and a note summarising the policy when it did anything
     */
    public AuditResult apply(AuditRun run, AuditResult result) {
        return apply(result, run == null ? null : run.expected(), run == null ? null : run.actual());
    }

    /**
     * @param result   the audit's result
     * @param expected the model the migrations build, or null
     * @param actual   the live model, or null
     * @return a new result with the policy applied
     */
    public AuditResult apply(AuditResult result, SchemaModel expected, SchemaModel actual) {
        Outcome o = evaluate(result.findings(), expected, actual);
        List<String> notes = new ArrayList<>(result.notes());
        if (o.note() != null) {
            notes.add(o.note());
        }
        return new AuditResult(result.toolVersion(), result.startedAt(), result.durationMillis(), result.target(),
                result.expected(), o.findings(), result.history(), result.failOn(), notes, result.rehearsal());
    }

    /**
     * What {@link #evaluate} decided.
     *
     * @param findings the findings after the policy, in {@link Classifier#ORDER}
     * @param note     one line for the audit's notes, or null when no policy was in play
     */
    public record Outcome(List<Finding> findings, String note) {
        public Outcome {
            findings = List.copyOf(findings);
        }
    }

    /**
     * The policy over a list of findings (pure).
     *
     * @param findings the findings
     * @param expected the model the migrations build, or null
     * @param actual   the live model, or null
     * @return the findings after the policy and a summary note
     */
    public Outcome evaluate(List<Finding> findings, SchemaModel expected, SchemaModel actual) {
        LocalDate today = LocalDate.now(clock);
        Map<ObjectRef, ObjectRef> targets = new HashMap<>();
        Map<ObjectRef, String> expectedComments = new HashMap<>();
        Map<ObjectRef, String> actualComments = new HashMap<>();
        index(expected, targets, expectedComments);
        index(actual, targets, actualComments);
        List<Inline> inline = inlineWaivers(actualComments, expectedComments, targets);

        List<Finding> kept = new ArrayList<>();
        int dropped = 0;
        for (Finding f : findings) {
            if (COMMENT_RULES.contains(f.rule()) && f.object().kind() == ObjectKind.COMMENT
                    && onlyWaiversDiffer(expectedComments.get(f.object()), actualComments.get(f.object()))) {
                continue;
            }
            SeverityOverride s = override(f.rule());
            if (s != null && s.off()) {
                dropped++;
                continue;
            }
            kept.add(s != null ? f.withSeverity(s.severity()) : f);
        }

        int[] hits = new int[waivers.size()];
        int[] expiredHits = new int[waivers.size()];
        Map<Inline, Integer> inlineExpiredHits = new LinkedHashMap<>();
        List<Finding> out = new ArrayList<>(kept.size());
        for (Finding f : kept) {
            if (f.waived() || OWN_RULES.contains(f.rule())) {
                out.add(f);
                continue;
            }
            Waiver chosen = null;
            List<Inline> expiredInline = new ArrayList<>();
            ObjectRef described = describedObject(f.object(), targets);
            for (Inline w : inline) {
                if (w.clause().valid() && w.clause().rules().stream().anyMatch(r -> names(r, f.rule()))
                        && (within(w.target(), f.object()) || (described != null && within(w.target(), described)))) {
                    if (expired(w.clause().until(), today)) {
                        expiredInline.add(w);
                    } else if (chosen == null) {
                        chosen = new Waiver(w.clause().reason(), w.clause().until(), w.origin());
                    }
                }
            }
            List<String> names = null;
            List<Integer> expiredConfig = new ArrayList<>();
            for (int i = 0; i < waivers.size(); i++) {
                WaiverSpec w = waivers.get(i);
                if (!w.covers(f.rule())) {
                    continue;
                }
                if (names == null) {
                    names = matchNames(f.object(), targets);
                }
                Pattern p = patterns.get(i);
                if (names.stream().noneMatch(n -> p.matcher(n).matches())) {
                    continue;
                }
                hits[i]++;
                if (w.expired(today)) {
                    expiredConfig.add(i);
                } else if (chosen == null) {
                    chosen = w.waiver();
                }
            }
            if (chosen != null) {
                out.add(f.withWaiver(chosen));
            } else {
                out.add(f);
                expiredInline.forEach(w -> inlineExpiredHits.merge(w, 1, Integer::sum));
                expiredConfig.forEach(i -> expiredHits[i]++);
            }
        }

        List<Finding> own = new ArrayList<>();
        for (int i = 0; i < waivers.size(); i++) {
            WaiverSpec w = waivers.get(i);
            ObjectRef ref = new ObjectRef(ObjectKind.WAIVER, null, null, w.origin());
            String what = String.join(",", w.rules()) + " on " + w.object();
            String definition = "rule: " + String.join(", ", w.rules()) + "; object: " + w.object() + "; reason: "
                    + w.reason() + (w.expires() == null ? "" : "; expires: " + w.expires());
            if (w.expired(today)) {
                own.add(new Finding(Rule.DW401, Rule.DW401.defaultSeverity(), ref, definition, "expired on " + w.expires(),
                        "waiver " + w.origin() + " (" + what + ") expired on " + w.expires() + (expiredHits[i] > 0
                                ? ": it no longer hides " + plural(expiredHits[i], "finding")
                                : hits[i] > 0 ? "" : ": it matches no finding now; remove it")));
            } else if (hits[i] == 0) {
                own.add(new Finding(Rule.DW402, Rule.DW402.defaultSeverity(), ref, definition, null,
                        "waiver " + w.origin() + " (" + what + ") matches no finding: the drift it excused is gone? "
                                + "Remove it"));
            }
        }
        Set<String> reported = new LinkedHashSet<>();
        for (Inline w : inline) {
            if (!reported.add(w.target() + "\u0000" + w.clause().text())) {
                continue;
            }
            String on = w.target().kind().label() + " " + w.target().qualifiedName();
            if (!w.clause().valid()) {
                own.add(new Finding(Rule.DW403, Rule.DW403.defaultSeverity(), w.target(), null, w.clause().text(),
                        "comment on " + on + ": " + InlineWaivers.MARKER + " " + w.clause().problem()
                                + "; it waives nothing"));
            } else if (expired(w.clause().until(), today)) {
                int n = inlineExpiredHits.getOrDefault(w, 0);
                own.add(new Finding(Rule.DW401, Rule.DW401.defaultSeverity(), w.target(), w.clause().text(),
                        "expired on " + w.clause().until(),
                        "waiver in the comment on " + on + " (" + String.join(",", w.clause().rules())
                                + ") expired on " + w.clause().until()
                                + (n > 0 ? ": it no longer hides " + plural(n, "finding") : "")));
            }
        }
        for (Finding f : own) {
            SeverityOverride s = override(f.rule());
            if (s != null && s.off()) {
                continue;
            }
            out.add(s != null ? f.withSeverity(s.severity()) : f);
        }
        out.sort(Classifier.ORDER);
        return new Outcome(out, note(out, dropped, inline));
    }

    private String note(List<Finding> out, int dropped, List<Inline> inline) {
        if (source == null && inline.isEmpty()) {
            return null;
        }
        long waived = out.stream().filter(Finding::waived).count();
        StringBuilder sb = new StringBuilder("policy");
        if (source != null) {
            sb.append(" from ").append(source).append(": ").append(plural(severities.size(), "severity override"))
                    .append(", ").append(plural(waivers.size(), "waiver"));
        }
        if (!inline.isEmpty()) {
            sb.append(source != null ? ", " : ": ").append(plural(inline.size(), "inline waiver"));
        }
        sb.append("; ").append(plural((int) waived, "finding")).append(" waived");
        if (dropped > 0) {
            sb.append(", ").append(plural(dropped, "finding")).append(" dropped (severity off)");
        }
        return sb.toString();
    }

    /** An inline waiver clause and the object whose comment holds it. */
    private record Inline(ObjectRef target, InlineWaivers.Clause clause, String origin) {
    }

    private List<Inline> inlineWaivers(Map<ObjectRef, String> actualComments, Map<ObjectRef, String> expectedComments,
                                       Map<ObjectRef, ObjectRef> targets) {
        Map<String, ObjectRef> targetOf = new LinkedHashMap<>();
        Map<String, InlineWaivers.Clause> clauseOf = new LinkedHashMap<>();
        Map<String, Set<String>> where = new LinkedHashMap<>();
        collect(actualComments, targets, "the database", targetOf, clauseOf, where);
        collect(expectedComments, targets, "the migrations", targetOf, clauseOf, where);
        List<Inline> out = new ArrayList<>();
        for (Map.Entry<String, ObjectRef> e : targetOf.entrySet()) {
            ObjectRef t = e.getValue();
            Set<String> w = where.get(e.getKey());
            out.add(new Inline(t, clauseOf.get(e.getKey()), Waiver.INLINE_PREFIX + t.kind().label() + " "
                    + t.qualifiedName() + (w.size() == 1 ? " in " + w.iterator().next() : "")));
        }
        return out;
    }

    private void collect(Map<ObjectRef, String> comments, Map<ObjectRef, ObjectRef> targets, String side,
                         Map<String, ObjectRef> targetOf, Map<String, InlineWaivers.Clause> clauseOf,
                         Map<String, Set<String>> where) {
        comments.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            ObjectRef target = targets.get(e.getKey());
            if (target == null) {
                return;
            }
            for (InlineWaivers.Clause c : InlineWaivers.parse(e.getValue(), this::knownRule)) {
                String key = target + "\u0000" + c.text();
                targetOf.putIfAbsent(key, target);
                clauseOf.putIfAbsent(key, c);
                where.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(side);
            }
        });
    }

    private static void index(SchemaModel model, Map<ObjectRef, ObjectRef> targets, Map<ObjectRef, String> comments) {
        if (model == null) {
            return;
        }
        for (CatalogObject o : model.objects()) {
            if (o.target() != null) {
                targets.putIfAbsent(o.ref(), o.target());
            }
            if (o.kind() == ObjectKind.COMMENT && o.target() != null) {
                comments.put(o.ref(), o.attr("text"));
            }
        }
    }

    /** True when at least one side has a waiver clause and the sides are equal without their clauses. */
    private static boolean onlyWaiversDiffer(String expected, String actual) {
        return (InlineWaivers.hasMarker(expected) || InlineWaivers.hasMarker(actual))
                && InlineWaivers.strip(expected).equals(InlineWaivers.strip(actual));
    }

    private SeverityOverride override(Rule r) {
        for (SeverityOverride s : severities) {
            if (s.matches(r)) {
                return s;
            }
        }
        return null;
    }

    /**
     * @param idOrSlug a rule id or slug as written
     * @return true when it names a built-in rule or one of this policy's extra rules
     */
    public boolean knownRule(String idOrSlug) {
        return knownRule(idOrSlug, extraRules);
    }

    /**
     * @param idOrSlug a rule id or slug as written
     * @param extra    ids and slugs of rules defined outside {@link Rule#values()}
     * @return true when it names a built-in rule (id case-insensitively, or slug) or one of {@code extra}
     *         (case-insensitively)
     */
    public static boolean knownRule(String idOrSlug, Set<String> extra) {
        String s = idOrSlug.strip();
        for (Rule r : Rule.values()) {
            if (names(s, r)) {
                return true;
            }
        }
        return extra.stream().anyMatch(e -> e.equalsIgnoreCase(s));
    }

    /**
     * @param ref a rule id or slug as written
     * @param r   a rule
     * @return true when {@code ref} is {@code r}'s id (any case) or slug (any case)
     */
    static boolean names(String ref, Rule r) {
        String s = ref.strip();
        return s.equalsIgnoreCase(r.id()) || s.toLowerCase(Locale.ROOT).equals(r.slug());
    }

    private static boolean expired(LocalDate until, LocalDate today) {
        return until != null && until.isBefore(today);
    }

    /** For a comment, privilege or owner: the object it describes, when a model knows it; else null. */
    private static ObjectRef describedObject(ObjectRef ref, Map<ObjectRef, ObjectRef> targets) {
        return ref.kind().attached() ? targets.get(ref) : null;
    }

    /**
     * @param container a commented object
     * @param ref       a finding's object
     * @return true when {@code ref} is {@code container}, or lies in it: in the schema it names, or a
     *         column, constraint, index, trigger or policy of the table or view it names
     */
    static boolean within(ObjectRef container, ObjectRef ref) {
        if (container.equals(ref)) {
            return true;
        }
        return switch (container.kind()) {
            case SCHEMA -> container.name().equals(ref.schema())
                    || (ref.kind() == ObjectKind.SCHEMA && container.name().equals(ref.name()));
            case TABLE, VIEW, MATERIALIZED_VIEW -> ref.parent() != null && ref.parent().equals(container.name())
                    && Objects.equals(ref.schema(), container.schema());
            default -> false;
        };
    }

    /**
     * The names a configuration waiver's glob is matched against (unquoted, dotted, as {@code --exclude}).
     *
     * @param ref     a finding's object
     * @param targets attached object → the object it describes (comments, privileges, owners)
     * @return e.g. {@code [public.orders.orders_note_idx]}; a routine with and without its arguments
     *         ({@code public.f(integer)}, {@code public.f}); a migration's version or script; an attached
     *         object's own display text and its target's names; nothing for a {@link ObjectKind#WAIVER}
     */
    public static List<String> matchNames(ObjectRef ref, Map<ObjectRef, ObjectRef> targets) {
        List<String> out = new ArrayList<>();
        if (ref.kind() == ObjectKind.WAIVER) {
            return out;
        }
        if (ref.kind().attached()) {
            out.add(ref.name());
            ObjectRef t = targets.get(ref);
            if (t != null && !t.kind().attached()) {
                out.addAll(matchNames(t, targets));
            }
            return out;
        }
        if (ref.kind() == ObjectKind.HISTORY || ref.kind() == ObjectKind.SCHEMA) {
            out.add(ref.name());
            return out;
        }
        StringBuilder prefix = new StringBuilder();
        if (ref.schema() != null) {
            prefix.append(ref.schema()).append('.');
        }
        if (ref.parent() != null) {
            prefix.append(ref.parent()).append('.');
        }
        out.add(prefix + ref.name());
        int paren = ref.kind().routine() ? ref.name().indexOf('(') : -1;
        if (paren > 0) {
            out.add(prefix + ref.name().substring(0, paren));
        }
        return out;
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
