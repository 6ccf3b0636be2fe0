package io.frpc.internal.redis;

/**
 * The value of a registration key: where to reach a node and which process it is. Never holds secrets.
 *
 * @param host            host to connect to
 * @param port            port to connect to
 * @param tls             whether the listener requires TLS
 * @param protocolVersion wire protocol version the node speaks
 * @param bootId          changes with every process start
 */
public record NodeRegistration(String host, int port, boolean tls, int protocolVersion, String bootId) {

  /** What is wrong with a registration read from Redis, or {@code null} when it is usable. */
  String problem() {
    if (host == null || host.isBlank()) {
      return "no host";
    }
    if (port < 1 || port > 65535) {
      return "port " + port + " outside 1..65535";
    }
    if (bootId == null || bootId.isBlank()) {
      return "no boot id";
    }
    return null;
  }
}
