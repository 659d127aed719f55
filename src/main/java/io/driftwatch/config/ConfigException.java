package io.driftwatch.config;

/**
 * An invalid project configuration: the message is one line naming the file, the line and the key,
 * e.g. {@code driftwatch.yaml:12: waivers[1].expires: '2027-02-30' is not a date (YYYY-MM-DD)}. The
 * CLI prints it as is and exits 2 (an {@link IllegalArgumentException}, like every usage error).
 */
public final class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String key;

    /**
     * @param file    the file as the user named it, e.g. {@code driftwatch.yaml}
     * @param line    1-based line, or 0 when the problem is the file itself
     * @param key     the key path, e.g. {@code waivers[1].expires}, or null
     * @param problem what is wrong and, where useful, what to write instead
     */
    public ConfigException(String file, int line, String key, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + (key == null ? "" : key + ": ") + problem);
        this.file = file;
        this.line = line;
        this.key = key;
    }

    /** @return the file as the user named it */
    public String file() {
        return file;
    }

    /** @return 1-based line, or 0 when the problem is the file itself */
    public int line() {
        return line;
    }

    /** @return the key path, or null */
    public String key() {
        return key;
    }
}
