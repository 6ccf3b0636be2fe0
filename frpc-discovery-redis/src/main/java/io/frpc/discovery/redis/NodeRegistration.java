package io.frpc.discovery.redis;

import java.util.regex.Pattern;

/**
 * The value of a registration key: where to reach a node and which process it is. Never holds secrets.
 *
 * @param host            host to connect to
 * @param port            port to connect to
 * @param tls             whether the listener requires TLS
 * @param protocolVersion wire protocol version the node speaks
 * @param bootId          changes with every process start
 * @param startedAt       when the node started, in milliseconds since the epoch (0: unknown); of two processes
 *                        under one identity, the one that started first keeps it
 */
record NodeRegistration(String host, int port, boolean tls, int protocolVersion, String bootId,
    long startedAt) {

  /** A registration whose start time is unknown (0). */
  NodeRegistration(String host, int port, boolean tls, int protocolVersion, String bootId) {
    this(host, port, tls, protocolVersion, bootId, 0);
  }

  /**
   * Whether this registration's process started before {@code other}'s: earlier start, or at the same
   * millisecond the smaller boot id, so that both processes come to the same answer.
   */
  boolean startedBefore(NodeRegistration other) {
    return startedAt != other.startedAt ? startedAt < other.startedAt : bootId.compareTo(other.bootId) < 0;
  }

  /** Host names (letters, digits, dots, dashes), IPv4 and IPv6 addresses (with a zone id). */
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:%_-]+");
  private static final Pattern BOOT_ID = Pattern.compile("[A-Za-z0-9-]+");

  /** What is wrong with a registration read from Redis, or {@code null} when it is usable. */
  String problem() {
    if (host == null || host.isBlank()) {
      return "no host";
    }
    if (host.length() > 253 || !HOST.matcher(host).matches()) {
      return "host is not a host name or an IP address";
    }
    if (port < 1 || port > 65535) {
      return "port " + port + " outside 1..65535";
    }
    if (bootId == null || bootId.isBlank()) {
      return "no boot id";
    }
    if (bootId.length() > 64 || !BOOT_ID.matcher(bootId).matches()) {
      return "boot id is not up to 64 letters, digits and dashes";
    }
    return null;
  }
}
