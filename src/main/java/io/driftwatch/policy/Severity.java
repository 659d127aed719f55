package io.driftwatch.policy;

import java.util.Locale;

/**
 * Finding severity, ordered from most to least severe. {@code --fail-on} takes one of these (or
 * {@code never}): the audit fails when any finding is at least that severe.
 */
public enum Severity {
    ERROR, WARNING, INFO;

    /** @return true when this severity is at least as severe as {@code threshold} */
    public boolean atLeast(Severity threshold) {
        return ordinal() <= threshold.ordinal();
    }

    /** @return lower-case name as used in reports and flags ({@code error}, ...) */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
