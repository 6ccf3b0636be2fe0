package io.frpc.discovery;

import java.util.Map;

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

  /** Whether the source works; a source that cannot fail is always healthy. */
  default DiscoveryHealth health() {
    return new DiscoveryHealth(true, Map.of("type", getClass().getSimpleName()));
  }

  /** Stops reporting. */
  @Override
  void close();
}
