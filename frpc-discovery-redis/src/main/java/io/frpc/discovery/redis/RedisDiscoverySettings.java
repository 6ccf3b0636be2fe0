package io.frpc.discovery.redis;

import io.frpc.NodeId;
import java.time.Duration;
import java.util.List;

/**
 * Settings of Redis discovery.
 *
 * @param keyPrefix               first segment of registration keys
 * @param ttl                     time to live of a registration
 * @param refreshInterval         how often a registration is refreshed
 * @param resyncInterval          how often watchers list registrations to heal lost notifications
 * @param watch                   node names to watch
 * @param configureKeyspaceEvents whether to add the needed flags to notify-keyspace-events
 * @param database                Redis database index the keys live in
 * @param maxNodesPerName         registrations a watcher follows per watched name at most
 */
public record RedisDiscoverySettings(String keyPrefix, Duration ttl, Duration refreshInterval,
    Duration resyncInterval, List<String> watch, boolean configureKeyspaceEvents, int database,
    int maxNodesPerName) {

  public RedisDiscoverySettings {
    if (keyPrefix == null || keyPrefix.isEmpty() || keyPrefix.contains("*")) {
      throw new IllegalArgumentException("frpc.discovery.redis.key-prefix must be non-empty and contain no '*'");
    }
    if (refreshInterval.compareTo(Duration.ofMillis(10)) < 0 || ttl.compareTo(refreshInterval) <= 0) {
      throw new IllegalArgumentException("frpc.discovery.redis.ttl (" + ttl
          + ") must be longer than frpc.discovery.redis.refresh-interval (" + refreshInterval + ")");
    }
    if (maxNodesPerName < 1) {
      throw new IllegalArgumentException("frpc.discovery.redis.max-nodes-per-name must be at least 1, not "
          + maxNodesPerName);
    }
    watch = List.copyOf(watch);
  }

  /** The registration key of a node. */
  public String key(NodeId node) {
    return keyPrefix + ":rpc:" + node.name() + ":" + node.id();
  }

  /** SCAN pattern of every registration of a node name. */
  String keyPattern(String name) {
    return keyPrefix + ":rpc:" + name + ":*";
  }

  /** The keyspace-notification channel pattern for a node name. */
  String channelPattern(String name) {
    return "__keyspace@" + database + "__:" + keyPattern(name);
  }

  /**
   * How long one of discovery's Redis commands may take: a refresh interval, at least 500 ms. A renewal stuck
   * longer is useless (the next one is due), and a dead server must not hold up the watcher.
   */
  public Duration commandTimeout() {
    Duration floor = Duration.ofMillis(500);
    return refreshInterval.compareTo(floor) < 0 ? floor : refreshInterval;
  }

  /** Time after which a registration that no refresh renewed is surely gone. */
  Duration grace() {
    return ttl.plus(refreshInterval);
  }
}
