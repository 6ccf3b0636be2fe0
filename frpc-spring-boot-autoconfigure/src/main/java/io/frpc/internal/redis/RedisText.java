package io.frpc.internal.redis;

/**
 * Text read from Redis (keys, parts of values) made safe to log: anyone who can write to Redis chooses it, so
 * it must not forge log lines or flood them.
 */
final class RedisText {

  private static final int MAX_CHARS = 200;

  private RedisText() {
  }

  /**
   * {@code text} with everything but printable ASCII (and the backslash) escaped as a Java Unicode escape
   * (backslash, {@code u}, four hex digits), cut after 200 characters.
   */
  static String printable(String text) {
    StringBuilder printable = new StringBuilder(Math.min(text.length(), MAX_CHARS) + 16);
    for (int i = 0; i < text.length() && i < MAX_CHARS; i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        printable.append(c);
      } else {
        printable.append(String.format("\\u%04x", (int) c));
      }
    }
    if (text.length() > MAX_CHARS) {
      printable.append("... (").append(text.length()).append(" characters)");
    }
    return printable.toString();
  }
}
