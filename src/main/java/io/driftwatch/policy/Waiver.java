package io.driftwatch.policy;

import java.time.LocalDate;

/**
 * Why a finding is accepted: a waiver from {@code driftwatch.yaml} or an inline
 * {@code driftwatch:ignore} comment. A waived finding stays in every report, marked waived with its
 * reason, but never fails the run.
 *
 * @param reason  the team's reason, never empty
 * @param expires last day the waiver holds (inclusive), or null when it never expires
 * @param origin  where the waiver was written, e.g. {@code driftwatch.yaml:14} or
 *                {@code comment on table public.orders}; inline waivers' origins start with
 *                {@link #INLINE_PREFIX}
 */
public record Waiver(String reason, LocalDate expires, String origin) {

    /** How the origin of an inline waiver (a {@code COMMENT ON ... IS 'driftwatch:ignore ...'}) begins. */
    public static final String INLINE_PREFIX = "comment on ";

    /**
     * @return true when the waiver lives with the object (an inline comment), false when it comes
     *         from the project configuration; SARIF calls these {@code inSource} and {@code external}
     */
    public boolean inline() {
        return origin != null && origin.startsWith(INLINE_PREFIX);
    }
}
