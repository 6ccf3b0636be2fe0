package io.frpc;

/**
 * Receives node lifecycle transitions, once per transition and in order. Listeners are called on a
 * single frpc event thread, never on an I/O thread; a slow listener delays only later notifications.
 */
public interface NodeListener {

  /** A connection to {@code node} was established and its handshake succeeded. */
  default void nodeUp(RemoteNode node) {
  }

  /** {@code node} is no longer usable; calls routed to it fail or go to other nodes. */
  default void nodeDown(RemoteNode node, NodeDownReason reason) {
  }
}
