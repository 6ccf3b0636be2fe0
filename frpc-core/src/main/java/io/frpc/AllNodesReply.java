package io.frpc;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Result of a call to every connected node of a name: the replies of the nodes that answered and the
 * failures of those that did not. A partial failure never hides the successes.
 *
 * @param nodeName the node name that was called
 * @param replies  replies by node id (values may be {@code null} for commands returning nothing)
 * @param failures failures by node id
 * @param <T>      the reply type
 */
public record AllNodesReply<T>(String nodeName, SortedMap<Integer, T> replies,
    SortedMap<Integer, FrpcException> failures) {

  public AllNodesReply {
    replies = Collections.unmodifiableSortedMap(new TreeMap<>(replies));
    failures = Collections.unmodifiableSortedMap(new TreeMap<>(failures));
  }

  /** Whether every called node answered successfully. */
  public boolean allSucceeded() {
    return failures.isEmpty();
  }

  /** How many nodes were called. */
  public int nodeCount() {
    return replies.size() + failures.size();
  }
}
