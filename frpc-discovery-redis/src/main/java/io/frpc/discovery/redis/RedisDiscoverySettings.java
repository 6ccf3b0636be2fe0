package io.frpc.discovery.redis;

import io.frpc.NodeId;
import io.frpc.internal.Names;
import java.time.Duration;
import java.util.List;

/**
 * Settings of Redis discovery, immutable; build them with {@link RedisNodeDiscovery#builder}. The
 * {@code DEFAULT_*} constants are the defaults of the builder and of the {@code frpc.discovery.redis.*}
 * properties.
 *
 * @param keyPrefix               first segment of registration keys
 * @param ttl                     time to live of a registration
 * @param refreshInterval         how often a registration is refreshed
 * @param resyncInterval          how often watchers list registrations to heal lost notifications
 * @param watch                   node names to watch
 * @param configureKeyspaceEvents whether to add the needed flags to notify-keyspace-events
 * @param database                Redis database index the keys live in
 * @param maxNodesPerName         registrations a watcher follows per watched name at most
 * @param register                whether a node that serves registers itself
 */
public record RedisDiscoverySettings(String keyPrefix, Duration ttl, Duration refreshInterval,
    Duration resyncInterval, List<String> watch, boolean configureKeyspaceEvents, int database,
    int maxNodesPerName, boolean register) {

  /** Registration keys are {@code frpc:rpc:{name}:{id}}. */
  public static final String DEFAULT_KEY_PREFIX = "frpc";
  /** A node that stops refreshing leaves every view 2 s after its last refresh. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(2);
  /** A node refreshes its registration every second. */
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(1);
  /** Watchers list the registrations once a minute. */
  public static final Duration DEFAULT_RESYNC_INTERVAL = Duration.ofSeconds(60);
  /** Discovery adds the keyspace-notification flags it needs to the server's setting. */
  public static final boolean DEFAULT_CONFIGURE_KEYSPACE_EVENTS = true;
  /** Keys live in database 0. */
  public static final int DEFAULT_DATABASE = 0;
  /** A watcher follows at most 1,024 registrations per watched name. */
  public static final int DEFAULT_MAX_NODES_PER_NAME = 1024;
  /** A node that serves registers itself. */
  public static final boolean DEFAULT_REGISTER = true;

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
    // the names become parts of key patterns (SCAN, PSUBSCRIBE): no glob characters, no ':'
    watch.forEach(name -> Names.checkNodeName(name, "frpc.discovery.redis.watch"));
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
  Duration commandTimeout() {
    Duration floor = Duration.ofMillis(500);
    return refreshInterval.compareTo(floor) < 0 ? floor : refreshInterval;
  }

  /** Time after which a registration that no refresh renewed is surely gone. */
  Duration grace() {
    return ttl.plus(refreshInterval);
  }
}
