package io.frpc.discovery.redis;

import io.frpc.time.FrpcClock;
import java.util.List;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A subscription to keyspace-notification channel patterns: on the one server of a standalone or Sentinel
 * deployment, or on every master of a Redis Cluster (where notifications stay on the node that holds the key).
 * Once started it re-subscribes by itself after connection losses and failovers.
 */
interface KeyspaceSubscription extends AutoCloseable {

  /** What a subscription reports, on a Redis client thread, in the order each server sent it. */
  interface Listener {

    /** A notification: {@code event} (e.g. {@code set}) happened to the key named in {@code channel}. */
    void notification(String channel, String event);

    /** The patterns are (again) subscribed on a server: notifications may have been lost before. */
    void subscribed();

    /**
     * The patterns are no longer subscribed on the server (standalone, Sentinel). A cluster subscription does not
     * call it: {@link #isListening()} tells whether every master is subscribed.
     */
    void unsubscribed();

    /** A message on the subscription's echo channel, which only this subscription listens to. */
    void echoed(String message);
  }

  /**
   * Subscribes; returns once the subscription request is on its way.
   *
   * @throws RuntimeException when Redis cannot be reached; the caller closes this one and tries a new one
   */
  void start();

  /** Whether the patterns are subscribed wherever keys can live. */
  boolean isListening();

  /**
   * Whether the subscription also listens to its echo channel, so that a message published there proves it still
   * delivers. A cluster subscription does not: it watches its masters' connections itself.
   */
  default boolean echoes() {
    return false;
  }

  /** Where the patterns are subscribed, for health (e.g. {@code 3 of 3 masters}); {@code null} for one server. */
  default String coverage() {
    return null;
  }

  @Override
  void close();

  /**
   * The subscription that fits the deployment {@code connections} reach: every master of a Redis Cluster through
   * Lettuce, else the one server (standalone, or the master Sentinel names) through Spring's listener container.
   *
   * @param echoChannel a channel of this subscription's own, for {@link #echoes()}; {@code null} for none
   * @param clock       sets the timers of retries
   */
  static KeyspaceSubscription to(RedisConnectionFactory connections, List<String> patterns, String echoChannel,
      Listener listener, FrpcClock clock) {
    if (connections instanceof LettuceConnectionFactory lettuce && lettuce.isClusterAware()) {
      return new ClusterKeyspaceSubscription(lettuce, patterns, listener, clock);
    }
    return new ContainerKeyspaceSubscription(connections, patterns, echoChannel, listener);
  }
}
