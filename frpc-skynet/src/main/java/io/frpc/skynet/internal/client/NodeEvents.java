package io.frpc.skynet.internal.client;

import io.frpc.NodeId;

/** Told when a node of the map becomes active (its handshake completed) and when it stops being active. */
public interface NodeEvents {

  /** Node {@code node} is active. */
  void nodeUp(NodeId node);

  /** Node {@code node} is no longer active: its connection closed. */
  void nodeDown(NodeId node);
}
