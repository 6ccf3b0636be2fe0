package io.frpc.internal;

/**
 * Text another party chose — what a peer sent, a Redis key, a foreign registration's host — made safe to log
 * and to send back: printable ASCII passes, every other character becomes a backslash, {@code u} and its four
 * hex digits (a line feed: {@code \}{@code u000A}). Such text can then neither start a log line of its own
 * (CR, LF, U+2028), drive the terminal (ESC), reorder or hide what follows it (bidi overrides, zero-width
 * characters), cut a line short (NUL), nor fail to encode (lone surrogates). Long text is cut.
 */
public final class UntrustedText {

  /** Characters of the original text kept at most; a longer text is cut and ends in {@code ...}. */
  public static final int MAX_LENGTH = 300;

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private UntrustedText() {
  }

  /** {@code text} with every character outside printable ASCII escaped, cut when long; {@code "null"} for null. */
  public static String escape(String text) {
    if (text == null) {
      return "null";
    }
    int end = Math.min(text.length(), MAX_LENGTH);
    StringBuilder escaped = new StringBuilder(end + 16);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        escaped.append(c);
      } else {
        escaped.append('\\').append('u').append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
            .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
      }
    }
    return end < text.length() ? escaped.append("...").toString() : escaped.toString();
  }
}
