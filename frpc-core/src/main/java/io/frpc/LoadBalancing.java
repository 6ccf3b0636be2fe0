package io.frpc;

/**
 * How a call to a node name without a node id or a {@code mod} key picks one of the connected nodes
 * ({@code frpc.client.load-balancing}, {@link FrpcNode#DEFAULT_LOAD_BALANCING}).
 */
public enum LoadBalancing {
  /**
   * Two connected nodes drawn at random, and the one with the lower load: its calls waiting for a reply, plus
   * one, times the average round trip of its recent calls. A slow or overloaded node gets fewer calls.
   */
  LEAST_LOADED,
  /** Each connected node in turn, however long it takes to answer. */
  ROUND_ROBIN
}
