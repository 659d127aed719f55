package io.driftwatch.snapshot;

/**
 * A snapshot file that cannot be read into exactly the model it was written from: malformed JSON,
 * a format version this build does not read, a missing, unknown or mistyped field, or a content
 * hash that does not match the model. The message is one line naming the file and, for a field,
 * its JSON path (e.g. {@code model.tables[2].columns[0]}).
 */
public final class SnapshotException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * @param message one human line
     * @param cause   underlying exception, may be null
     */
    public SnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
