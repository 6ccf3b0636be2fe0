package io.frpc.internal.transport;

import io.frpc.FrpcConfigurationException;
import io.frpc.internal.protocol.InboundBudget;
import java.time.Duration;

/**
 * How much of a node one peer, or all of them, may occupy.
 *
 * @param maxInboundBytes          memory for unfinished inbound (fragmented) messages, all connections together
 * @param maxQueuedOutboundBytes   bytes queued for writing on one connection besides one message of up to the
 *                                 maximum message size before the connection is closed
 * @param unwritableTimeout        a connection whose peer has not read for this long is closed
 * @param maxConnections           accepted connections, handshaking or admitted, of the listener
 * @param maxHandshaking           connections of the listener that have not completed the handshake
 * @param maxHandshakingPerNetwork connections from one /24 (IPv4) or /64 (IPv6) network that have not completed
 *                                 the handshake
 * @param maxHandshakingPerAddress connections from one remote address that have not completed the handshake
 * @param handshakeRatePerAddress  connections accepted from one remote address per second, with a burst of as many
 */
public record ConnectionLimits(long maxInboundBytes, long maxQueuedOutboundBytes, Duration unwritableTimeout,
    int maxConnections, int maxHandshaking, int maxHandshakingPerNetwork, int maxHandshakingPerAddress,
    int handshakeRatePerAddress) {

  /**
   * Defaults: a quarter of the heap (at most 2 GiB) for unfinished messages, 64 MiB queued per
   * connection, 10 s without reading, 2,048 connections, of them 256 handshaking, 128 per network and 64 per
   * address, 100 new connections per address and second.
   */
  public static ConnectionLimits defaults() {
    return new ConnectionLimits(Math.min(Runtime.getRuntime().maxMemory() / 4, 2L << 30), 64L << 20,
        Duration.ofSeconds(10), 2048, 256, 128, 64, 100);
  }

  public ConnectionLimits {
    if (maxInboundBytes < 1 << 20) {
      throw new FrpcConfigurationException("frpc.max-inbound-bytes", "frpc.max-inbound-bytes must be at least 1MB"
          + " but was " + maxInboundBytes + " bytes", "leave it unset for a quarter of the heap");
    }
    if (maxQueuedOutboundBytes < 1 << 20) {
      throw new FrpcConfigurationException("frpc.max-queued-outbound-bytes", "frpc.max-queued-outbound-bytes must "
          + "be at least 1MB but was " + maxQueuedOutboundBytes + " bytes", "the default is 64MB");
    }
    if (unwritableTimeout.compareTo(Duration.ZERO) <= 0) {
      throw new FrpcConfigurationException("frpc.unwritable-timeout", "frpc.unwritable-timeout must be positive",
          "the default is 10s");
    }
    if (maxConnections < 1) {
      throw new FrpcConfigurationException("frpc.server.max-connections", "frpc.server.max-connections must be "
          + "positive but was " + maxConnections, "the default is 2048");
    }
    positive("frpc.server.max-handshaking", maxHandshaking, 256);
    positive("frpc.server.max-handshaking-per-network", maxHandshakingPerNetwork, 128);
    positive("frpc.server.max-handshaking-per-address", maxHandshakingPerAddress, 64);
    positive("frpc.server.handshake-rate-per-address", handshakeRatePerAddress, 100);
  }

  private static void positive(String property, int value, int defaultValue) {
    if (value < 1) {
      throw new FrpcConfigurationException(property, property + " must be positive but was " + value,
          "the default is " + defaultValue);
    }
  }

  /** A fresh node-wide budget for unfinished inbound messages. */
  public InboundBudget inboundBudget() {
    return new InboundBudget(maxInboundBytes);
  }
}
