package io.frpc.internal.transport;

/**
 * Text that came from a peer (names, decoder messages quoting its bytes), made safe to log and to send
 * back: printable characters only, so it can neither break a log line nor fail to encode, and short.
 */
final class PeerText {

  private static final int MAX_LENGTH = 300;

  private PeerText() {
  }

  static String safe(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder safe = new StringBuilder(Math.min(text.length(), MAX_LENGTH + 3));
    for (int i = 0; i < text.length() && safe.length() < MAX_LENGTH; i++) {
      char c = text.charAt(i);
      safe.append(c >= 0x20 && c < 0x7f || Character.isLetterOrDigit(c) && !Character.isSurrogate(c) ? c : '?');
    }
    if (text.length() > MAX_LENGTH) {
      safe.append("...");
    }
    return safe.toString();
  }
}
