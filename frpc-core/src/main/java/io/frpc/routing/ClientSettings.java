package io.frpc.routing;

import java.time.Duration;

/**
 * How the client waits and reconnects.
 *
 * @param connectWait             how long a call or send waits for a matching node to be connected
 * @param callTimeout             default deadline of a call
 * @param connectTimeout          limit for one TCP connect attempt
 * @param reconnectInitialBackoff delay before the first reconnect attempt
 * @param reconnectMaxBackoff     the delay doubles per failed attempt up to this
 */
public record ClientSettings(Duration connectWait, Duration callTimeout, Duration connectTimeout,
    Duration reconnectInitialBackoff, Duration reconnectMaxBackoff) {

  /** Defaults: 3 s connect wait, 5 s call timeout, 3 s connect timeout, backoff 100 ms up to 5 s. */
  public static ClientSettings defaults() {
    return new ClientSettings(Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(3),
        Duration.ofMillis(100), Duration.ofSeconds(5));
  }

  public ClientSettings {
    if (connectWait.isNegative()) {
      throw new IllegalArgumentException("frpc.client.connect-wait must not be negative");
    }
    if (callTimeout.compareTo(Duration.ZERO) <= 0) {
      throw new IllegalArgumentException("frpc.client.call-timeout must be positive");
    }
    if (reconnectInitialBackoff.compareTo(Duration.ZERO) <= 0 || reconnectMaxBackoff.compareTo(reconnectInitialBackoff) < 0) {
      throw new IllegalArgumentException("reconnect backoff must be positive and the maximum at least the initial");
    }
  }
}
