package io.driftwatch.base;

/**
 * Masks secrets in any text that is about to be printed, logged or written into a report: the one
 * place every engine's URLs and messages pass through.
 */
public final class Secrets {

    private Secrets() {
    }

    /**
     * Masks the password in any URL-ish string: {@code postgresql://u:secret@h} becomes
     * {@code postgresql://u:***@h}, {@code password=secret} parameters become {@code password=***}, and
     * URLs without a scheme ({@code u:secret@host/db}) are masked too ({@link PasswordMask#mask}).
     *
     * @param url any text, may be null
     * @return the text with passwords masked
     */
    public static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        return PasswordMask.mask(url);
    }
}
