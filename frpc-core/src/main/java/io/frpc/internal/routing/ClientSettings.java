package io.frpc.internal.routing;

import io.frpc.FrpcConfigurationException;
import io.frpc.LoadBalancing;
import java.time.Duration;

/**
 * How the client waits and reconnects.
 *
 * @param connectWait             how long a call or send waits for a matching node to be connected
 * @param callTimeout             default deadline of a call
 * @param connectTimeout          limit for one TCP connect attempt
 * @param reconnectInitialBackoff delay before the first reconnect attempt
 * @param reconnectMaxBackoff     the delay doubles per failed attempt up to this
 * @param directCompletion        whether asynchronous calls complete, and run their continuations, on the I/O
 *                                thread that read the reply instead of a callback thread
 * @param maxAttempts             most attempts of one call, the first included (1: no retries, no failover)
 * @param retryBackoff            the wait before retrying on the same node (doubling per attempt, jittered); a
 *                                call that failed over to another node goes at once
 * @param retryBudgetRatio        retries and hedges allowed per call made, as a fraction
 * @param retryBudgetMinPerSecond retries allowed per second whatever the number of calls
 * @param loadBalancing           how a call without a node id or {@code mod} key picks a node
 */
public record ClientSettings(Duration connectWait, Duration callTimeout, Duration connectTimeout,
    Duration reconnectInitialBackoff, Duration reconnectMaxBackoff, boolean directCompletion, int maxAttempts,
    Duration retryBackoff, double retryBudgetRatio, int retryBudgetMinPerSecond, LoadBalancing loadBalancing) {

  public ClientSettings {
    if (connectWait.isNegative()) {
      throw new FrpcConfigurationException("frpc.client.connect-wait", "frpc.client.connect-wait must not be negative",
          "set it to how long a call may wait for a node, e.g. 3s");
    }
    if (callTimeout.compareTo(Duration.ZERO) <= 0) {
      throw new FrpcConfigurationException("frpc.client.call-timeout", "frpc.client.call-timeout must be positive",
          "set it to the default deadline of a call, e.g. 5s");
    }
    if (reconnectInitialBackoff.compareTo(Duration.ZERO) <= 0 || reconnectMaxBackoff.compareTo(reconnectInitialBackoff) < 0) {
      throw new FrpcConfigurationException("frpc.client.reconnect-initial-backoff", "reconnect backoff must be "
          + "positive and frpc.client.reconnect-max-backoff at least frpc.client.reconnect-initial-backoff",
          "e.g. 100ms and 5s");
    }
    if (maxAttempts < 1) {
      throw new FrpcConfigurationException("frpc.client.retry.max-attempts", "frpc.client.retry.max-attempts must be "
          + "at least 1 but was " + maxAttempts, "set it to 1 for no retries, or e.g. 3");
    }
    if (retryBackoff.compareTo(Duration.ZERO) <= 0) {
      throw new FrpcConfigurationException("frpc.client.retry.backoff", "frpc.client.retry.backoff must be positive",
          "e.g. 20ms");
    }
    if (!(retryBudgetRatio >= 0 && retryBudgetRatio <= 1) || retryBudgetMinPerSecond < 0) {
      throw new FrpcConfigurationException("frpc.client.retry.budget-ratio", "frpc.client.retry.budget-ratio must be "
          + "between 0 and 1 and frpc.client.retry.budget-min-per-second not negative, but were " + retryBudgetRatio
          + " and " + retryBudgetMinPerSecond, "e.g. 0.2 and 10");
    }
  }
}
