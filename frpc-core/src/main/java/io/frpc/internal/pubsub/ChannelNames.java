package io.frpc.internal.pubsub;

import java.nio.charset.StandardCharsets;

/**
 * Channel names and patterns: one or more {@code :}-separated, non-empty segments of visible characters,
 * at most 255 UTF-8 bytes in all; in a pattern a segment may be {@code *}, which matches exactly one
 * segment of a channel.
 */
final class ChannelNames {

  static final int MAX_BYTES = 255;

  private ChannelNames() {
  }

  /**
   * Checks a channel name (or, with {@code patternAllowed}, a pattern) and returns its number of segments.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  static int check(String channel, boolean patternAllowed) {
    if (channel == null || channel.isEmpty()) {
      throw new IllegalArgumentException("a channel name is required");
    }
    int segments = 1;
    int segmentStart = 0;
    for (int i = 0; i < channel.length(); i++) {
      char c = channel.charAt(i);
      if (c == ':') {
        if (i == segmentStart) {
          throw invalid(channel, "it has an empty segment (segments are separated by a single ':')");
        }
        segments++;
        segmentStart = i + 1;
      } else if (c == '*') {
        if (!patternAllowed) {
          throw invalid(channel, "'*' stands for a segment in subscription patterns; a published channel "
              + "names every segment");
        }
        if (i != segmentStart || (i + 1 < channel.length() && channel.charAt(i + 1) != ':')) {
          throw invalid(channel, "'*' must be a whole segment (like game:*:over)");
        }
      } else if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw invalid(channel, "it contains a space or control character");
      }
    }
    if (segmentStart == channel.length()) {
      throw invalid(channel, "it ends with ':'");
    }
    if (channel.length() > MAX_BYTES / 3 && channel.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw invalid(channel, "it is longer than " + MAX_BYTES + " UTF-8 bytes");
    }
    return segments;
  }

  /** Whether a valid name or pattern has a {@code *} segment. */
  static boolean isPattern(String channel) {
    return channel.equals("*") || channel.startsWith("*:") || channel.endsWith(":*") || channel.contains(":*:");
  }

  /** Whether a valid pattern matches a valid channel name: same segments, {@code *} matching any one. */
  static boolean matches(String pattern, String channel) {
    int p = 0;
    int c = 0;
    while (true) {
      int patternEnd = end(pattern, p);
      int channelEnd = end(channel, c);
      boolean wildcard = patternEnd - p == 1 && pattern.charAt(p) == '*';
      if (!wildcard && (patternEnd - p != channelEnd - c || !pattern.regionMatches(p, channel, c, patternEnd - p))) {
        return false;
      }
      boolean patternDone = patternEnd == pattern.length();
      boolean channelDone = channelEnd == channel.length();
      if (patternDone || channelDone) {
        return patternDone && channelDone;
      }
      p = patternEnd + 1;
      c = channelEnd + 1;
    }
  }

  private static int end(String text, int from) {
    int colon = text.indexOf(':', from);
    return colon < 0 ? text.length() : colon;
  }

  private static IllegalArgumentException invalid(String channel, String why) {
    String shown = channel.length() > 80 ? channel.substring(0, 80) + "…" : channel;
    return new IllegalArgumentException("channel '" + shown + "' is invalid: " + why);
  }
}
