package io.driftwatch.rules;

import io.driftwatch.model.Identifiers;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.policy.Finding;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs SQL rules through {@link CalciteEngine} and turns each returned row into a {@link Finding}.
 * Loaded only from {@link SqlRuleSet#run}, never on the audit path without SQL rules (this class and
 * {@link CalciteEngine} are the only ones that lead to Calcite).
 *
 * <p>Row → finding: the object kind is the row's {@code object_kind} value when the query returns that
 * column, else the header's {@code -- object:}. The object's name is the row's {@code object_name}
 * when returned, else the kind's own column ({@code schema_name} for a schema, {@code table_name}
 * for a table, {@code column_name}, {@code index_name}, {@code constraint_name},
 * {@code sequence_name}; a migration's {@code version}, else {@code script}); its schema is
 * {@code schema_name}; its table (for columns, indexes, constraints and other table parts)
 * {@code table_name}. Optional {@code expected} and {@code actual} columns fill the finding's
 * expected and actual text. The message is the header's template with {@code {column}} replaced by
 * the row's value (null as empty text), {@code {column:ident}} by the value quoted as an
 * identifier where PostgreSQL needs it ({@code quote_ident}), {@code {object}} by the quoted qualified
 * name and {@code {{} by a brace; replacement is one pass, so values that contain braces stay as they are.
 */
final class RuleRunner {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{|\\{([A-Za-z_][A-Za-z0-9_]*)(:ident)?}");

    private RuleRunner() {
    }

    /**
     * @param findings new findings, one per distinct (rule, object, message)
     * @param millis   wall time spent in Calcite (connection, every query), milliseconds
     */
    record Output(List<Finding> findings, long millis) {
    }

    /**
     * @param rules  the rules, run in order
     * @param tables the tables they query
     * @return the findings
     * @throws RuleFileException when a query fails or does not return the columns its header needs
     */
    static Output run(List<SqlRule> rules, List<RowSet> tables) {
        long t0 = System.nanoTime();
        Set<Key> seen = new LinkedHashSet<>();
        List<Finding> out = new ArrayList<>();
        try (CalciteEngine engine = new CalciteEngine(tables)) {
            for (SqlRule r : rules) {
                CalciteEngine.Result res;
                try {
                    res = engine.query(r.sql());
                } catch (CalciteEngine.QueryException e) {
                    int line = e.line() > 0 ? r.sqlLine() + e.line() - 1 : r.sqlLine();
                    throw new RuleFileException(r.source(), line, e.line() > 0 ? e.column() : 0,
                            "the query of rule " + r.rule().id() + " fails: " + e.getMessage());
                }
                for (Finding f : findings(r, res)) {
                    if (seen.add(new Key(f.rule().id(), f.object(), f.message()))) {
                        out.add(f);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Calcite could not start: " + e.getMessage(), e);
        }
        return new Output(out, (System.nanoTime() - t0) / 1_000_000);
    }

    private record Key(String rule, ObjectRef object, String message) {
    }

    /** Checks the query's columns against the header, then maps every row. */
    static List<Finding> findings(SqlRule r, CalciteEngine.Result res) {
        Map<String, Integer> col = new HashMap<>();
        for (int i = 0; i < res.columns().size(); i++) {
            col.putIfAbsent(res.columns().get(i), i);
        }
        String returned = "it returns " + String.join(", ", res.columns());
        Matcher m = PLACEHOLDER.matcher(r.message());
        while (m.find()) {
            if (m.group(1) != null && !m.group(1).equals("object") && !col.containsKey(m.group(1))) {
                throw new RuleFileException(r.source(), r.messageLine(), "message placeholder {" + m.group(1)
                        + "} is not a column of the query (" + returned + ")");
            }
        }
        boolean rowKind = col.containsKey("object_kind");
        if (!rowKind) {
            if (r.objectKind() == null) {
                throw new RuleFileException(r.source(), r.sqlLine(), "the header has no '-- object:' and the query "
                        + "returns no object_kind column: say what kind of object each row names");
            }
            List<String> need = needed(r.objectKind(), col.containsKey("object_name"));
            List<String> missing = need.stream().filter(c -> !col.containsKey(c)).toList();
            if (!missing.isEmpty()) {
                throw new RuleFileException(r.source(), r.sqlLine(), "object: " + RuleTables.kindWord(r.objectKind())
                        + " needs the query to return " + String.join(", ", need) + " (" + returned + ")");
            }
        }
        List<Finding> out = new ArrayList<>();
        int rowNo = 0;
        for (Object[] row : res.rows()) {
            rowNo++;
            ObjectKind kind = r.objectKind();
            if (rowKind && value(row, col, "object_kind") != null) {
                kind = SqlRuleParser.kind(value(row, col, "object_kind"));
                if (kind == null) {
                    throw new RuleFileException(r.source(), r.sqlLine(), "row " + rowNo + ": object_kind '"
                            + value(row, col, "object_kind") + "' is not an object kind (table, column, index, ...)");
                }
            } else if (kind == null) {
                throw new RuleFileException(r.source(), r.sqlLine(), "row " + rowNo + " has a null object_kind "
                        + "and the header has no '-- object:'");
            }
            ObjectRef ref = ref(r, kind, row, col, rowNo);
            String message = message(r.message(), row, col, ref);
            out.add(new Finding(r.rule(), r.rule().defaultSeverity(), ref, value(row, col, "expected"),
                    value(row, col, "actual"), message));
        }
        return out;
    }

    /** Columns a kind needs when the header names it. */
    private static List<String> needed(ObjectKind kind, boolean objectName) {
        List<String> need = new ArrayList<>();
        if (kind != ObjectKind.SCHEMA && kind != ObjectKind.HISTORY && kind != ObjectKind.EXTENSION
                && kind != ObjectKind.EVENT_TRIGGER) {
            need.add("schema_name");
        }
        if (childKind(kind)) {
            need.add("table_name");
        }
        if (!objectName) {
            String own = nameColumn(kind);
            if (own == null) {
                need.add("object_name");
            } else if (!need.contains(own)) {
                need.add(own);
            }
        }
        return need;
    }

    private static boolean childKind(ObjectKind kind) {
        return kind == ObjectKind.COLUMN || kind == ObjectKind.INDEX || kind == ObjectKind.CONSTRAINT
                || kind == ObjectKind.TRIGGER || kind == ObjectKind.POLICY;
    }

    /** @return the column holding a kind's own name, or null when only {@code object_name} does */
    private static String nameColumn(ObjectKind kind) {
        return switch (kind) {
            case SCHEMA -> "schema_name";
            case TABLE -> "table_name";
            case COLUMN -> "column_name";
            case INDEX -> "index_name";
            case CONSTRAINT -> "constraint_name";
            case SEQUENCE -> "sequence_name";
            case HISTORY -> "version";
            default -> null;
        };
    }

    private static ObjectRef ref(SqlRule r, ObjectKind kind, Object[] row, Map<String, Integer> col, int rowNo) {
        String name = value(row, col, "object_name");
        if (name == null && kind == ObjectKind.HISTORY) {
            name = firstNonNull(value(row, col, "version"), value(row, col, "script"), value(row, col, "description"));
        } else if (name == null && nameColumn(kind) != null) {
            name = value(row, col, nameColumn(kind));
        }
        if (name == null) {
            throw new RuleFileException(r.source(), r.sqlLine(), "row " + rowNo + " names no "
                    + RuleTables.kindWord(kind) + ": " + (nameColumn(kind) == null ? "object_name" : nameColumn(kind)
                    + " (or object_name)") + " is null or missing");
        }
        boolean databaseWide = kind == ObjectKind.SCHEMA || kind == ObjectKind.HISTORY || kind == ObjectKind.EXTENSION
                || kind == ObjectKind.EVENT_TRIGGER;
        String schema = databaseWide ? null : value(row, col, "schema_name");
        String parent = databaseWide || kind == ObjectKind.TABLE ? null : value(row, col, "table_name");
        if (childKind(kind) && parent == null) {
            throw new RuleFileException(r.source(), r.sqlLine(), "row " + rowNo + " names a "
                    + RuleTables.kindWord(kind) + " without its table_name");
        }
        if (kind == ObjectKind.HISTORY) {
            return ObjectRef.migration(name);
        }
        if (kind == ObjectKind.SCHEMA) {
            return ObjectRef.schema(name);
        }
        return new ObjectRef(kind, schema, parent, name);
    }

    private static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** @return the column's value as text, or null when the query has no such column or it is null */
    private static String value(Object[] row, Map<String, Integer> col, String name) {
        Integer i = col.get(name);
        if (i == null || row[i] == null) {
            return null;
        }
        return String.valueOf(row[i]);
    }

    /** Fills the template in one pass (a value holding {@code {x}} is not expanded again). */
    static String message(String template, Object[] row, Map<String, Integer> col, ObjectRef ref) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v;
            if (m.group(1) == null) {
                v = "{";
            } else if (m.group(1).equals("object") && !col.containsKey("object")) {
                v = ref.qualifiedName();
            } else {
                String s = value(row, col, m.group(1));
                v = s == null ? "" : m.group(2) != null && !s.isEmpty() && s.indexOf('\0') < 0
                        ? Identifiers.quoteIfNeeded(s) : s;
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
