package io.frpc.internal;

import io.frpc.FrpcCommand;
import io.frpc.FrpcConfigurationException;
import java.lang.reflect.Method;
import java.util.Collection;

/** The rule of node names and ids, the names of commands, and suggestions for mistyped names. */
public final class Names {

  /**
   * What a node name may hold, for messages. Names are parts of Redis keys, log lines and {@code name:id}
   * strings, so they are plain ASCII without {@code :}.
   */
  public static final String NODE_NAME_RULE = "1 to 255 ASCII letters, digits, '_', '-' and '.'";

  private static final int MAX_NODE_NAME_LENGTH = 255;

  private Names() {
  }

  /** The command a handler or typed client method stands for: its {@link FrpcCommand} name, else its own. */
  public static String commandName(Method method) {
    FrpcCommand named = method.getAnnotation(FrpcCommand.class);
    return named != null && !named.value().isEmpty() ? named.value() : method.getName();
  }

  /** Whether {@code name} follows {@link #NODE_NAME_RULE}. */
  public static boolean isNodeName(String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_NODE_NAME_LENGTH) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
          || c == '.')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks a configured node name.
   *
   * @param property the property that set it, named in the failure
   * @throws FrpcConfigurationException when it does not follow {@link #NODE_NAME_RULE}
   */
  public static void checkNodeName(String name, String property) {
    if (!isNodeName(name)) {
      throw new FrpcConfigurationException(property, property + " must be " + NODE_NAME_RULE + " but was '"
          + UntrustedText.escape(name) + "'", "choose a name such as game, cluster_server or chat-1");
    }
  }

  /**
   * Checks a configured node id.
   *
   * @param property the property that set it, named in the failure
   * @throws FrpcConfigurationException when it is negative
   */
  public static void checkNodeId(int id, String property) {
    if (id < 0) {
      throw new FrpcConfigurationException(property, property + " must not be negative but was " + id,
          "number the nodes of one name 0, 1, 2, ...");
    }
  }

  /** {@code "; did you mean 'x'?"} for the closest of {@code known} within two edits, else {@code ""}. */
  public static String didYouMean(String name, Collection<String> known) {
    String best = null;
    int bestDistance = 3;
    for (String candidate : known) {
      int distance = distance(name, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best == null ? "" : "; did you mean '" + best + "'?";
  }

  /** Optimal string alignment distance: edits, with a swap of two neighbours counting as one. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
