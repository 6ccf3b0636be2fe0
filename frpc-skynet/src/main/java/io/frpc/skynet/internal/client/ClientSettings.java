package io.frpc.skynet.internal.client;

import io.frpc.NodeId;
import java.time.Duration;

/**
 * How a client connects and calls: its own identity (sent in each handshake), how long a call waits for a node,
 * the delay between reconnection attempts, and the bounds of a connection.
 *
 * @param self this node's svr_name and svr_id
 * @param connectWait how long a call waits for an active node before it fails
 * @param reconnectDelay the delay before reconnecting after a failure or a close, varied by up to 20%
 * @param connectTimeout how long a TCP connect may take
 * @param handshakeTimeout how long the handshake may take before the connection is closed
 * @param maxPendingCalls calls awaiting their response on one connection; more fail at once
 * @param maxMessageSize the largest response payload, whole or reassembled from parts
 * @param maxPartialMessages responses under reassembly at once on one connection
 */
public record ClientSettings(NodeId self, Duration connectWait, Duration reconnectDelay, Duration connectTimeout,
    Duration handshakeTimeout, int maxPendingCalls, int maxMessageSize, int maxPartialMessages) {

  /** Checks the bounds. */
  public ClientSettings {
    if (maxPendingCalls < 1 || maxMessageSize < 1 || maxPartialMessages < 1) {
      throw new IllegalArgumentException("maxPendingCalls, maxMessageSize and maxPartialMessages must be positive,"
          + " were " + maxPendingCalls + ", " + maxMessageSize + " and " + maxPartialMessages);
    }
    if (connectWait.isNegative() || reconnectDelay.isNegative() || connectTimeout.isNegative()
        || handshakeTimeout.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
  }
}
