package io.driftwatch.rules;

import io.driftwatch.model.ObjectKind;
import io.driftwatch.policy.Rule;

import java.util.List;
import java.util.Objects;

/**
 * One SQL rule: a parsed rule file (see {@link SqlRuleParser} for the format).
 *
 * @param rule       the rule (id, name, default severity, title, description, fix)
 * @param objectKind the kind of object each returned row names ({@code -- object:}); null when the
 *                   query returns an {@code object_kind} column instead
 * @param message    the message template; {@code {column}} is replaced by the row's value of that
 *                   column, {@code {object}} by the object's quoted qualified name, {@code {{} by {@code {}
 * @param sql        the query (the file's text after the header, trailing {@code ;} removed)
 * @param source     the file as the user named it, e.g. {@code rules/no_float.sql}, or the lint
 *                   pack's resource path {@code rules/lint/DW330-table-without-primary-key.sql}
 * @param sqlLine    1-based line of the file on which {@link #sql} starts
 * @param see        links given with {@code -- see:} (sources of the rule), in order
 * @param idLine     1-based line of the {@code -- id:} header (named when the id clashes)
 * @param messageLine 1-based line of the {@code -- message:} header (named when a placeholder is unknown)
 */
public record SqlRule(Rule rule, ObjectKind objectKind, String message, String sql, String source, int sqlLine,
                      List<String> see, int idLine, int messageLine) {

    public SqlRule {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(sql, "sql");
        see = List.copyOf(see);
    }
}
