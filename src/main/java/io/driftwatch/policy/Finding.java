package io.driftwatch.policy;

import io.driftwatch.model.ObjectRef;

/**
 * One reported problem: a schema difference or a history disagreement, classified by a {@link Rule}.
 *
 * @param rule     the rule (stable id, e.g. {@code DW101 extra-index})
 * @param severity effective severity (the rule's default unless overridden)
 * @param object   the object concerned
 * @param expected what the migrations say (SQL-ish text), or null when the object is not expected
 * @param actual   what the database has, or null when the object is absent
 * @param message  one human line, e.g. {@code index public.orders.orders_note_idx exists in the database but in no migration}
 */
public record Finding(Rule rule, Severity severity, ObjectRef object, String expected, String actual,
                      String message) {
}
