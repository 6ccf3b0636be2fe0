package io.frpc.skynet.client;

import io.frpc.NodeId;

/**
 * Told when a skynet_fly node becomes active (its connection's handshake completed) and when it stops being
 * active (its connection closed), once per transition and in order, on one thread of {@link SkynetNodes} (never an
 * I/O thread). A slow listener delays later notifications only.
 */
public interface SkynetNodeListener {

  /** Node {@code node} (svr_name and svr_id) is active: calls go to it. */
  default void nodeUp(NodeId node) {
  }

  /** Node {@code node} is no longer active; its pending calls failed, and it is being reconnected. */
  default void nodeDown(NodeId node) {
  }
}
