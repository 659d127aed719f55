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
 * @param waiver   the waiver that accepts this finding, or null; a waived finding never fails the run
 */
public record Finding(Rule rule, Severity severity, ObjectRef object, String expected, String actual,
                      String message, Waiver waiver) {

    /** An unwaived finding. */
    public Finding(Rule rule, Severity severity, ObjectRef object, String expected, String actual, String message) {
        this(rule, severity, object, expected, actual, message, null);
    }

    /** @return true when a waiver accepts this finding */
    public boolean waived() {
        return waiver != null;
    }

    /**
     * @param s the new severity (a severity override)
     * @return a copy with that severity
     */
    public Finding withSeverity(Severity s) {
        return new Finding(rule, s, object, expected, actual, message, waiver);
    }

    /**
     * @param w the waiver, or null to clear it
     * @return a copy marked waived by {@code w}
     */
    public Finding withWaiver(Waiver w) {
        return new Finding(rule, severity, object, expected, actual, message, w);
    }
}
