package io.driftwatch.plan;

/**
 * A hazard carried by a generated statement.
 *
 * @param type    what kind of hazard
 * @param message one human line, e.g. {@code drops column public.orders.note and its data}
 */
public record Hazard(HazardType type, String message) {
}
