package io.driftwatch.report;

import freemarker.template.SimpleScalar;
import freemarker.template.TemplateBooleanModel;
import freemarker.template.TemplateHashModel;
import freemarker.template.TemplateModel;
import freemarker.template.TemplateSequenceModel;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Rule;
import io.driftwatch.policy.Severity;
import io.driftwatch.policy.Waiver;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The findings part of the HTML report's data model: findings grouped by severity, then by the
 * table (relation) they concern, the way a DBA reading drift thinks of it (migra and Atlas report
 * per table too); and the rules that fired, with their counts, description and fix hint.
 *
 * <p>Grouping: a column, constraint, index, trigger or policy belongs to the group of its relation,
 * which also holds findings on the relation itself (table, view, materialized view, sequence share
 * PostgreSQL's relation namespace, so {@code schema.name} identifies them); every version-table
 * finding goes to one group, the version table; any other object (function, type, schema,
 * privileges, ...) is a group of its own. Groups keep the order of their first finding in
 * {@link ReportFacts#ordered} (schema, relation, object, rule).
 *
 * <p>Finding rows are exposed to FreeMarker as {@link TemplateHashModel}s made on demand from the
 * {@link Finding} (one at a time while the template streams), so a report of 10,000 findings holds
 * no second copy of its rows. Every value is plain text: the {@code .ftlh} output format escapes it.
 */
final class FindingGroups {

    private static final Set<ObjectKind> RELATIONS =
            EnumSet.of(ObjectKind.TABLE, ObjectKind.VIEW, ObjectKind.MATERIALIZED_VIEW, ObjectKind.SEQUENCE);

    private FindingGroups() {
    }

    /**
     * @param ordered     findings in {@link ReportFacts#ordered} order, waived ones included
     * @param openObjects whether the per-table sections start open
     * @return one map per severity that has findings: {@code severity}, {@code count} (unwaived),
     *         {@code waived}, {@code groupCount}, {@code openObjects}, {@code objects} (maps with
     *         {@code kind} (may be empty), {@code name}, {@code count}, {@code waived} and
     *         {@code findings}, a sequence of finding hashes, see {@link FindingModel})
     */
    static List<Map<String, Object>> sections(List<Finding> ordered, boolean openObjects) {
        List<Map<String, Object>> sections = new ArrayList<>();
        for (Severity s : Severity.values()) {
            Map<String, Group> groups = new LinkedHashMap<>();
            int count = 0;
            int waived = 0;
            for (Finding f : ordered) {
                if (f.severity() != s) {
                    continue;
                }
                Group g = groups.computeIfAbsent(key(f.object()), k -> new Group(label(f.object())));
                g.findings.add(f);
                if (f.object().parent() == null || !isRelationMember(f.object())) {
                    g.kind = groupKind(f.object());
                }
                if (f.waived()) {
                    g.waived++;
                    waived++;
                } else {
                    count++;
                }
            }
            if (groups.isEmpty()) {
                continue;
            }
            List<Map<String, Object>> objects = new ArrayList<>(groups.size());
            for (Group g : groups.values()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("kind", g.kind);
                o.put("name", ReportFacts.showControls(g.name, false));
                o.put("count", g.findings.size());
                o.put("waived", g.waived);
                o.put("findings", new FindingList(g.findings));
                objects.add(o);
            }
            Map<String, Object> section = new LinkedHashMap<>();
            section.put("severity", s.label());
            section.put("count", count);
            section.put("waived", waived);
            section.put("groupCount", objects.size());
            section.put("objects", objects);
            section.put("openObjects", openObjects);
            sections.add(section);
        }
        return sections;
    }

    /**
     * @param findings the audit's findings
     * @return one map per rule that fired, by rule id: {@code id}, {@code slug}, {@code title},
     *         {@code severity} (the rule's default), {@code count} (unwaived findings), {@code waived},
     *         {@code description} and {@code fix} (empty when the catalog has none)
     */
    static List<Map<String, Object>> rules(List<Finding> findings) {
        Map<String, int[]> counts = new TreeMap<>();
        Map<String, Rule> rules = new TreeMap<>();
        for (Finding f : findings) {
            rules.putIfAbsent(f.rule().id(), f.rule());
            counts.computeIfAbsent(f.rule().id(), k -> new int[2])[f.waived() ? 1 : 0]++;
        }
        List<Map<String, Object>> list = new ArrayList<>(rules.size());
        for (Rule r : rules.values()) {
            int[] c = counts.get(r.id());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("slug", r.slug());
            m.put("title", ReportFacts.showControls(r.title(), false));
            m.put("severity", r.defaultSeverity().label());
            m.put("count", c[0]);
            m.put("waived", c[1]);
            m.put("description", ReportFacts.showControls(nonNull(r.description()), true).strip());
            m.put("fix", ReportFacts.showControls(nonNull(r.fix()), true).strip());
            list.add(m);
        }
        return list;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static boolean isRelationMember(ObjectRef r) {
        return !r.kind().attached() && r.kind() != ObjectKind.HISTORY
                && (r.parent() != null || RELATIONS.contains(r.kind()));
    }

    /** @return the identity of the group {@code r} belongs to */
    static String key(ObjectRef r) {
        if (r.kind() == ObjectKind.HISTORY) {
            return "history";
        }
        if (isRelationMember(r)) {
            return "rel\u0000" + r.schema() + "\u0000" + (r.parent() != null ? r.parent() : r.name());
        }
        return r.kind().name() + "\u0000" + r.schema() + "\u0000" + r.name();
    }

    /** @return the name a group shows, e.g. {@code tenant_1.orders} */
    private static String label(ObjectRef r) {
        if (r.kind() == ObjectKind.HISTORY) {
            return "version table";
        }
        if (isRelationMember(r) && r.parent() != null) {
            return ObjectRef.of(ObjectKind.TABLE, r.schema(), r.parent()).qualifiedName();
        }
        return r.qualifiedName();
    }

    /** @return the kind word of a group whose own object this finding is about */
    private static String groupKind(ObjectRef r) {
        return r.kind() == ObjectKind.HISTORY ? "" : r.kind().label();
    }

    /** @return what a finding row names inside its group: {@code column amount}, {@code table}, {@code migration 5} */
    static String rowObject(ObjectRef r) {
        if (r.kind() == ObjectKind.HISTORY) {
            return r.toString();
        }
        if (r.parent() != null && !r.kind().attached()) {
            return r.kind().label() + " " + new ObjectRef(r.kind(), null, null, r.name()).qualifiedName();
        }
        return r.kind().label();
    }

    private static final class Group {
        final String name;
        final List<Finding> findings = new ArrayList<>();
        String kind = "";
        int waived;

        Group(String name) {
            this.name = name;
        }
    }

    /** A group's findings as a FreeMarker sequence, adapting each finding when the template asks. */
    private record FindingList(List<Finding> findings) implements TemplateSequenceModel {
        @Override
        public TemplateModel get(int index) {
            return index < 0 || index >= findings.size() ? null : new FindingModel(findings.get(index));
        }

        @Override
        public int size() {
            return findings.size();
        }
    }

    /**
     * One finding row: {@code ruleId}, {@code slug}, {@code severity}, {@code object} (see
     * {@link #rowObject}), {@code message}, {@code hasExpected}, {@code expected}, {@code hasActual},
     * {@code actual}, {@code waived}, {@code waiverReason}, {@code waiverOrigin}, {@code waiverExpires}
     * (ISO date or empty). Control characters are made visible ({@link ReportFacts#showControls}).
     */
    private record FindingModel(Finding f) implements TemplateHashModel {
        @Override
        public TemplateModel get(String key) {
            Waiver w = f.waiver();
            return switch (key) {
                case "ruleId" -> new SimpleScalar(f.rule().id());
                case "slug" -> new SimpleScalar(f.rule().slug());
                case "severity" -> new SimpleScalar(f.severity().label());
                case "object" -> new SimpleScalar(ReportFacts.showControls(rowObject(f.object()), false));
                case "message" -> new SimpleScalar(ReportFacts.showControls(f.message(), false));
                case "hasExpected" -> bool(f.expected() != null);
                case "hasActual" -> bool(f.actual() != null);
                case "expected" -> new SimpleScalar(ReportFacts.showControls(f.expected(), true));
                case "actual" -> new SimpleScalar(ReportFacts.showControls(f.actual(), true));
                case "waived" -> bool(w != null);
                case "waiverReason" -> new SimpleScalar(w == null ? "" : ReportFacts.showControls(w.reason(), false));
                case "waiverOrigin" -> new SimpleScalar(w == null ? "" : ReportFacts.showControls(w.origin(), false));
                case "waiverExpires" -> new SimpleScalar(w == null || w.expires() == null ? "" : w.expires().toString());
                default -> null;
            };
        }

        @Override
        public boolean isEmpty() {
            return false;
        }

        private static TemplateBooleanModel bool(boolean b) {
            return b ? TemplateBooleanModel.TRUE : TemplateBooleanModel.FALSE;
        }
    }
}
