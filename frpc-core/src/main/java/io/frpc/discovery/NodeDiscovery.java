package io.frpc.discovery;

import java.util.Map;

/** A source of node addresses: a static list, Redis, or anything else that reports to {@link DiscoveredNodes}. */
public interface NodeDiscovery extends AutoCloseable {

  /** Starts reporting nodes to {@code nodes}. */
  void start(DiscoveredNodes nodes);

  /** Whether the source works; a source that cannot fail is always healthy. */
  default DiscoveryHealth health() {
    return new DiscoveryHealth(true, Map.of("type", getClass().getSimpleName()));
  }

  /** Stops reporting. */
  @Override
  void close();
}
