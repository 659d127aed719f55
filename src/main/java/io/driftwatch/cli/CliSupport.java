package io.driftwatch.cli;

import io.driftwatch.base.PasswordMask;
import io.driftwatch.base.AuditListener;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Small helpers shared by the commands: duration parsing, terminal detection, progress output.
 */
final class CliSupport {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|min|h)?");

    private CliSupport() {
    }

    /**
     * @param text e.g. {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}; a bare number is seconds
     * @param flag flag name for the error message
     * @return the duration
     * @throws IllegalArgumentException for anything else
     */
    static Duration parseDuration(String text, String flag) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(flag + " '" + text + "' is not a duration like 500ms, 5s, 2m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m", "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** @return true when stderr is probably a terminal (a console is attached) */
    static boolean onTerminal() {
        return System.console() != null;
    }

    /** @return true when ANSI colour may be used (a terminal, {@code NO_COLOR} unset, {@code TERM} not dumb) */
    static boolean colorAllowed(boolean noColorFlag) {
        return !noColorFlag && onTerminal() && System.getenv("NO_COLOR") == null
                && !"dumb".equals(System.getenv("TERM"));
    }

    /**
     * A listener that prints steps (only when {@code progress}) and notes (unless {@code quiet}) to
     * {@code err}, notes through {@link io.driftwatch.base.PasswordMask#mask(String)}.
     */
    static AuditListener listener(PrintStream err, boolean progress, boolean quiet) {
        return new AuditListener() {
            @Override
            public void step(String what) {
                if (progress) {
                    err.println("  … " + what);
                }
            }

            @Override
            public void stepDone(String what, long millis) {
                if (progress) {
                    err.printf(Locale.ROOT, "  ✓ %s (%.1f s)%n", what, millis / 1000.0);
                }
            }

            @Override
            public void note(String line) {
                if (!quiet) {
                    err.println(io.driftwatch.base.PasswordMask.mask(line));
                }
            }
        };
    }
}
