package io.driftwatch.policy;

import io.driftwatch.model.SchemaFilter;

import java.time.LocalDate;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A waiver of the project configuration: findings of {@code rules} on objects whose name matches
 * {@code object} are accepted for {@code reason} until {@code expires}.
 *
 * <p>{@code object} is a glob in the dialect of {@code --exclude} ({@link SchemaFilter#compile}):
 * {@code *} matches within one name, {@code **} across dots, {@code ?} one character, everything
 * else (regular-expression characters included) literally. It is matched against the finding's
 * unquoted dotted name: {@code schema.name}, {@code schema.table.child}, a routine with and without
 * its argument list, a migration's version; for a comment, privilege or owner finding also against
 * the name of the object it describes.
 *
 * @param rules   rule ids or slugs, at least one
 * @param object  the glob, as written
 * @param reason  why the drift is accepted, never blank
 * @param expires last day the waiver holds (inclusive), or null for never
 * @param origin  where it was written, e.g. {@code driftwatch.yaml:14}
 */
public record WaiverSpec(List<String> rules, String object, String reason, LocalDate expires, String origin) {

    public WaiverSpec {
        rules = List.copyOf(rules);
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("a waiver needs at least one rule");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a waiver needs a reason");
        }
    }

    /** @return the compiled glob (anchored) */
    public Pattern pattern() {
        return SchemaFilter.compile(object);
    }

    /** @return the waiver attached to the findings it accepts */
    public Waiver waiver() {
        return new Waiver(reason, expires, origin);
    }

    /**
     * @param today the date to judge by
     * @return true when {@code expires} is before {@code today}
     */
    public boolean expired(LocalDate today) {
        return expires != null && expires.isBefore(today);
    }

    /**
     * @param r a rule
     * @return true when one of {@link #rules()} names it
     */
    public boolean covers(Rule r) {
        return rules.stream().anyMatch(x -> Policy.names(x, r));
    }
}
