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
 *                {@code comment on table public.orders}
 */
public record Waiver(String reason, LocalDate expires, String origin) {
}
