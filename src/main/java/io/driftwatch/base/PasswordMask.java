package io.driftwatch.base;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one password mask for everything Driftwatch prints that came from connection input (URLs,
 * libpq keyword strings, driver messages), well-formed or not.
 *
 * <p>Two rules, applied in this order:
 * <ol>
 *   <li><b>keyword form</b>: {@code password=VALUE} (any case, also {@code PGPASSWORD=}, spaces
 *       around {@code =} allowed; VALUE up to the next {@code &}, {@code ;}, {@code ,}, whitespace or
 *       quote, or a whole single- or double-quoted value as libpq allows) becomes
 *       {@code password=***};</li>
 *   <li><b>user-info form</b>: in every word (a run without whitespace, quotes, angle brackets,
 *       parentheses or commas) that has an {@code @}, the part after the first {@code //} (or the
 *       whole word when it has none: {@code u:secret@host/db}, {@code postgresql//u:secret@h}) up to
 *       the last {@code @} before any {@code ?} is the user info, as {@link ConnectionSpec#parse}
 *       reads it; when it has a {@code :}, everything after that colon becomes {@code ***} (not in
 *       usage notation: an {@code @} right after {@code [}, as in {@code DIR[@VERSION]}, nor in
 *       Driftwatch's own {@code migrations:DIR@VERSION} and {@code snapshot:FILE} sources).</li>
 * </ol>
 * Masking is idempotent. Over-masking a word such as {@code mysql:root:pw@h} (shown as
 * {@code mysql:***@h}) is accepted: showing less of a malformed URL is better than showing a
 * password. {@link #secretsIn(String)} finds the passwords of one user-given value, so callers can
 * also mask their literal text where a driver or library echoes them in another shape.
 */
public final class PasswordMask {

    /** What a masked secret is replaced with. */
    public static final String MASK = "***";

    /** Literal secrets shorter than this are not masked by {@link #maskLiterals} (they would mangle ordinary text). */
    public static final int MIN_LITERAL_LENGTH = 4;

    private static final Pattern KEYWORD = Pattern.compile(
            "(?i)(password\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'?|\"[^\"]*\"?|[^&;,\\s'\"]*)");

    private static final Pattern WORD = Pattern.compile("[^\\s'\"<>(),]+");

    private PasswordMask() {
    }

    /**
     * @param text any text, may be null
     * @return the text with every password in keyword or user-info form replaced by {@value #MASK};
     *         null for null
     */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String keywordsMasked = KEYWORD.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
        if (keywordsMasked.indexOf('@') < 0) {
            return keywordsMasked;
        }
        Matcher words = WORD.matcher(keywordsMasked);
        StringBuilder out = new StringBuilder(keywordsMasked.length());
        int last = 0;
        while (words.find()) {
            out.append(keywordsMasked, last, words.start());
            out.append(maskWord(words.group()));
            last = words.end();
        }
        out.append(keywordsMasked, last, keywordsMasked.length());
        return out.toString();
    }

    /**
     * The passwords in one user-given value (a whole command-line argument, so spaces and quotes do
     * not end it): the user-info password and every {@code password=} value, both as written and
     * %-decoded where that decodes.
     *
     * @param value a URL, keyword string or any argument, may be null
     * @return the secrets found, in order, without duplicates or empty strings
     */
    public static List<String> secretsIn(String value) {
        Set<String> out = new LinkedHashSet<>();
        if (value == null) {
            return List.of();
        }
        Matcher k = KEYWORD.matcher(value);
        while (k.find()) {
            String v = k.group(2);
            if (v.length() >= 2 && (v.charAt(0) == '\'' || v.charAt(0) == '"')) {
                v = v.substring(1, v.length() - (v.endsWith(String.valueOf(v.charAt(0))) ? 1 : 0));
            }
            add(out, v);
        }
        int[] span = userInfoPassword(value);
        if (span != null) {
            add(out, value.substring(span[0], span[1]));
        }
        return List.copyOf(out);
    }

    /**
     * @param text    text to print, may be null
     * @param secrets literal secrets (e.g. from {@link #secretsIn}); those shorter than
     *                {@value #MIN_LITERAL_LENGTH} characters are skipped
     * @return {@link #mask(String)} of the text with every occurrence of each secret replaced by {@value #MASK}
     */
    public static String maskLiterals(String text, Iterable<String> secrets) {
        if (text == null) {
            return null;
        }
        String t = text;
        List<String> longestFirst = new ArrayList<>();
        secrets.forEach(longestFirst::add);
        longestFirst.sort((a, b) -> Integer.compare(b.length(), a.length()));
        for (String s : longestFirst) {
            if (s != null && s.length() >= MIN_LITERAL_LENGTH) {
                t = t.replace(s, MASK);
            }
        }
        return mask(t);
    }

    private static void add(Set<String> out, String raw) {
        if (raw == null || raw.isEmpty() || raw.equals(MASK)) {
            return;
        }
        out.add(raw);
        String decoded = lenientDecode(raw);
        if (!decoded.isEmpty()) {
            out.add(decoded);
        }
    }

    private static String maskWord(String word) {
        int[] span = userInfoPassword(word);
        if (span == null) {
            return word;
        }
        String secret = word.substring(span[0], span[1]);
        if (secret.equals(MASK)) {
            return word;
        }
        return word.substring(0, span[0]) + MASK + word.substring(span[1]);
    }

    /** @return [start, end) of the password in the user info of {@code word}, or null when it has none */
    private static int[] userInfoPassword(String word) {
        String lower = word.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("migrations:") || lower.startsWith("snapshot:")) {
            return null; // Driftwatch's own source syntax: migrations:DIR@VERSION has an @ and no password
        }
        int start = word.indexOf("//");
        start = start < 0 ? 0 : start + 2;
        int end = word.indexOf('?', start);
        if (end < 0) {
            end = word.length();
        }
        int at = word.lastIndexOf('@', end - 1);
        if (at < start || (at > 0 && word.charAt(at - 1) == '[')) {
            return null; // no user info, or usage notation such as migrations:DIR[@VERSION]
        }
        int colon = word.indexOf(':', start);
        if (colon < 0 || colon >= at) {
            return null;
        }
        return new int[] {colon + 1, at};
    }

    /** %-decodes what decodes; a malformed escape is kept as written. */
    private static String lenientDecode(String s) {
        StringBuilder out = new StringBuilder();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '%' && hex(s, i + 1) >= 0 && hex(s, i + 2) >= 0) {
                bytes.write(hex(s, i + 1) * 16 + hex(s, i + 2));
                i += 3;
                continue;
            }
            if (bytes.size() > 0) {
                out.append(bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
                bytes.reset();
            }
            out.append(c);
            i++;
        }
        if (bytes.size() > 0) {
            out.append(bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    private static int hex(String s, int i) {
        return i < s.length() ? Character.digit(s.charAt(i), 16) : -1;
    }
}
