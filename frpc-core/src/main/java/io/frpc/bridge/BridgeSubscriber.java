package io.frpc.bridge;

import tools.jackson.databind.JsonNode;

/**
 * Where a bridge connection's subscriptions to this node's channels deliver ({@link NodeBridge#connect(
 * io.frpc.NodeId, java.util.concurrent.Executor, BridgeSubscriber)}). Called on the publishing thread, in the order
 * of each channel's publications: hand over to the peer's connection and return.
 */
public interface BridgeSubscriber {

  /**
   * A message published on {@code channel}, for subscription {@code subscriptionId}.
   *
   * @param dropped messages of this subscription dropped before this one (the peer did not keep up)
   */
  void message(int subscriptionId, String channel, JsonNode payload, int dropped);

  /** Version {@code version} of state channel {@code channel}, for state subscription {@code subscriptionId}. */
  void state(int subscriptionId, String channel, long version, JsonNode value);

  /** Subscription {@code subscriptionId} was refused (too many on one connection). */
  void rejected(int subscriptionId, String reason);

  /**
   * Bytes waiting to be written to the peer: past {@code frpc.pubsub.max-queued-bytes}, messages to it are dropped
   * (and counted in the next one's {@code dropped}), and the state versions it missed are sent again once it calls
   * {@link BridgeConnection#writable()}.
   */
  long queuedBytes();
}
