package io.frpc.internal.transport;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;

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
   * The default of {@code maxInboundBytes}, which depends on this process: a quarter of the maximum heap, at most
   * 2 GiB. The fixed defaults are {@code io.frpc.FrpcNode}'s {@code DEFAULT_*} constants.
   */
  public static long defaultMaxInboundBytes() {
    return Math.min(Runtime.getRuntime().maxMemory() / 4, 2L << 30);
  }

  /** The default of {@code maxConnections} for this process: {@link #defaultMaxConnections(long)} of its limit. */
  public static int defaultMaxConnections() {
    return defaultMaxConnections(maxFileDescriptors());
  }

  /**
   * 2,048 connections, or fewer where the process may open fewer files: a quarter of its file descriptors (at
   * least 64) stays for the node's own outgoing connections, Redis, logs and jars, so that accepting never
   * fails for want of a descriptor. With the common {@code ulimit -n 1024}: 768.
   *
   * @param maxFileDescriptors the process's limit ({@code RLIMIT_NOFILE}), or a negative value when unknown
   */
  static int defaultMaxConnections(long maxFileDescriptors) {
    if (maxFileDescriptors <= 0) {
      return 2048;
    }
    long reserve = Math.max(64, maxFileDescriptors / 4);
    return (int) Math.max(16, Math.min(2048, maxFileDescriptors - reserve));
  }

  /** The process's file-descriptor limit, or -1 where the JVM does not tell. */
  static long maxFileDescriptors() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
        ? unix.getMaxFileDescriptorCount() : -1;
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
          + "positive but was " + maxConnections, "leave it unset for 2048, or fewer under a low file-descriptor limit");
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
