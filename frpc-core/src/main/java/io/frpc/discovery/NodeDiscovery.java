package io.frpc.discovery;

import java.util.Map;
import java.util.Set;

/**
 * A source of node addresses: a static list, Redis, or anything else that reports to a
 * {@link DiscoveryContext}. Implement it to plug in another registry; in Spring, a bean of this type
 * replaces frpc's own discovery.
 */
public interface NodeDiscovery extends AutoCloseable {

  /** Starts reporting nodes; called once, after this node's listener (if any) is bound. Must not block long. */
  void start(DiscoveryContext context);

  /**
   * Why calls to {@code nodeName} can never find a node through this source, naming the property to
   * set; {@code null} when the source may report nodes of that name (the default: it cannot tell).
   */
  default String explainUnknownName(String nodeName) {
    return null;
  }

  /**
   * The node names this source reports nodes of (the static list's names, the watched names), so health
   * can show each with its counts even while none is known; empty when it cannot tell (the default).
   */
  default Set<String> nodeNames() {
    return Set.of();
  }

  /** Whether the source works; a source that cannot fail is always healthy. */
  default DiscoveryHealth health() {
    return new DiscoveryHealth(true, Map.of("type", getClass().getSimpleName()));
  }

  /** Stops reporting. */
  @Override
  void close();
}
