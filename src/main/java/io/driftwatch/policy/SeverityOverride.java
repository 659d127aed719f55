package io.driftwatch.policy;

/**
 * A project's severity for one rule, e.g. {@code severity: {DW101: error}} in {@code driftwatch.yaml}.
 *
 * @param rule     rule id or slug ({@code DW101} or {@code extra-index}), matched case-insensitively
 *                 against a finding's rule id and exactly against its slug
 * @param severity the severity findings of that rule get, or null for {@code off}: the findings are
 *                 dropped from the result and from every report
 * @param origin   where it was written, e.g. {@code driftwatch.yaml:9}
 */
public record SeverityOverride(String rule, Severity severity, String origin) {

    /** @return true for {@code off} */
    public boolean off() {
        return severity == null;
    }

    /**
     * @param r a rule
     * @return true when {@link #rule()} names it
     */
    public boolean matches(Rule r) {
        return Policy.names(rule, r);
    }
}
