package io.driftwatch.model;

import java.util.Locale;

/**
 * The one escaper for text from a database or a script (names, messages, definitions) shown inside a line of
 * output: console, text, Markdown, JUnit, SARIF, and the comments of generated SQL. A value can then neither start
 * a new line nor hide, reorder or recolour what is shown.
 *
 * <p>Escaped as a six-character backslash-u sequence (e.g. LF becomes the text {@code \u000a}, ESC
 * {@code \u001b}): every C0 control (so LF, CR, VT, FF, tab), DEL, every C1 control (so NEL U+0085), the line and
 * paragraph separators U+2028 and U+2029, and the bidirectional marks, embeddings, overrides and isolates
 * (U+200E, U+200F, U+061C, U+202A..U+202E, U+2066..U+2069). These are every line terminator that PostgreSQL
 * ({@code scan.l}: LF, CR), psql ({@code psqlscan.l}: LF, CR), Java ({@code BufferedReader}: LF, CR, CRLF;
 * {@code \R}: also VT, FF, NEL, U+2028, U+2029) and Unicode (UAX #14 mandatory breaks) honour. Other characters,
 * backslashes included, are kept. Stateless.
 */
public final class OneLine {

    private OneLine() {
    }

    /**
     * @param s text, or null
     * @return the text with every character listed in the class comment escaped; empty for null
     */
    public static String of(String s) {
        return escape(s, false);
    }

    /**
     * @param s text, or null
     * @return like {@link #of}, but LF, CR and tab kept as they are (for multi-line blocks such as a JUnit
     *         failure body, whose own lines are ours); empty for null
     */
    public static String keepingBreaks(String s) {
        return escape(s, true);
    }

    /**
     * @param c a character
     * @return true when {@link #of} escapes it
     */
    public static boolean escaped(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u200e' || c == '\u200f' || c == '\u061c'
                || (c >= '\u2028' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }

    /**
     * @param c a character
     * @return true for a line terminator some tool that reads our output may honour: LF, VT, FF, CR, NEL, U+2028,
     *         U+2029 (CRLF is two of them)
     */
    public static boolean terminator(char c) {
        return (c >= '\n' && c <= '\r') || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    private static String escape(String s, boolean keepBreaks) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean kept = keepBreaks && (c == '\n' || c == '\r' || c == '\t');
            if (escaped(c) && !kept) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }
}
