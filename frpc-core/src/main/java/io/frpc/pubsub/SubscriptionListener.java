package io.frpc.pubsub;

import io.frpc.NodeDownReason;
import io.frpc.NodeId;
import io.frpc.RemoteNode;

/**
 * What a subscription tells its listener besides messages (the seed's connect and disconnect signals).
 * Called on the subscription's delivery thread, in order with its messages.
 */
public interface SubscriptionListener {

  /**
   * The subscription was established on {@code node}: when it is made on a connected node, when a node
   * of the name connects later, and again after every reconnect (state watches then resynchronise).
   */
  default void nodeJoined(RemoteNode node) {
  }

  /** The connection to {@code node} was lost; nothing arrives from it until {@link #nodeJoined}. */
  default void nodeLost(RemoteNode node, NodeDownReason reason) {
  }

  /** {@code node} refused the subscription (it has too many, or does not support pub/sub). */
  default void refused(NodeId node, String reason) {
  }
}
