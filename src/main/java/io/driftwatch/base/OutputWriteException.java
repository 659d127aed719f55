package io.driftwatch.base;

import java.io.IOException;

/**
 * An output file or folder could not be written (a full disk, a read-only or missing folder, a path
 * through a regular file). The message is one line naming the path and the reason, e.g.
 * {@code cannot write /srv/out/report.html: No space left on device}. The CLI exits 6 ("cannot write
 * output") for it; nothing half-written is left behind ({@link AtomicFileWriter}, {@link ReportSet}).
 */
public final class OutputWriteException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message one line naming the path and the reason
     * @param cause   the underlying I/O error
     */
    public OutputWriteException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * @param path  what could not be written
     * @param cause the I/O error
     * @return {@code cannot write <path>: <reason>}, the reason being the error's own message or its type
     */
    public static OutputWriteException of(Object path, IOException cause) {
        if (cause instanceof OutputWriteException o) {
            return o;
        }
        return new OutputWriteException("cannot write " + path + ": " + reason(cause), cause);
    }

    /** @return a short reason: the JDK's file-system exceptions carry the path and reason in pieces */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException fs) {
            String r = fs.getReason();
            String kind = e.getClass().getSimpleName().replace("Exception", "");
            if (r != null) {
                return r + (fs.getFile() != null ? " (" + fs.getFile() + ")" : "");
            }
            return kind.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT)
                    + (fs.getFile() != null ? ": " + fs.getFile() : "");
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
