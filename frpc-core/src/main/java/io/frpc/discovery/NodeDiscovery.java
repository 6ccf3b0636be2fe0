package io.frpc.discovery;

/** A source of node addresses: a static list, Redis, or anything else that reports to {@link DiscoveredNodes}. */
public interface NodeDiscovery extends AutoCloseable {

  /** Starts reporting nodes to {@code nodes}. */
  void start(DiscoveredNodes nodes);

  /** Stops reporting. */
  @Override
  void close();
}
