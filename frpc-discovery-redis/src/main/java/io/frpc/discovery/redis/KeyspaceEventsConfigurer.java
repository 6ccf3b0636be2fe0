package io.frpc.discovery.redis;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisServerCommands;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Makes sure Redis publishes the keyspace notifications discovery listens to: {@code K} (keyspace
 * channel), {@code g} (del, expire), {@code $} (set) and {@code x} (expired), on the server or on every node of
 * a Redis Cluster. Flags already set are kept.
 * Where the server refuses {@code CONFIG} (managed services), it says exactly what the operator must set.
 */
final class KeyspaceEventsConfigurer {

  private static final Logger log = LoggerFactory.getLogger(KeyspaceEventsConfigurer.class);
  private static final String PARAMETER = "notify-keyspace-events";

  private final StringRedisTemplate redis;
  private final boolean configure;
  private volatile boolean reportedRefusal;
  /** Whether the last check found the flags set everywhere (null before the first or when it could not tell). */
  private volatile Boolean enabled;
  /** Whether each server had the flags at its last check; logs only on changes. */
  private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
  /** Whether the check under way turned the flags on somewhere; only the watcher thread checks. */
  private boolean turnedOn;

  /**
   * @param configure whether to change the server's setting, or only to check it
   */
  KeyspaceEventsConfigurer(StringRedisTemplate redis, boolean configure) {
    this.redis = redis;
    this.configure = configure;
  }

  /** The flags discovery needs added to {@code current}; {@code A} already covers {@code g$x}. */
  static String merge(String current) {
    StringBuilder merged = new StringBuilder(current == null ? "" : current);
    boolean all = merged.indexOf("A") >= 0;
    for (char flag : new char[] {'K', 'g', '$', 'x'}) {
      if ((flag == 'K' || !all) && merged.indexOf(String.valueOf(flag)) < 0) {
        merged.append(flag);
      }
    }
    return merged.toString();
  }

  /**
   * Checks the setting and, when allowed, adds what is missing: on the server, or on every node of a Redis
   * Cluster (replicas included, which need the flags once promoted). Run at start-up, on every subscription and
   * periodically, since an operator, a restart or a failover can change it at runtime. Whether notifications are
   * on everywhere is then {@link #isEnabled()}.
   *
   * @return whether it turned them on somewhere, so that any published while they were off are lost
   */
  boolean ensureEnabled() {
    turnedOn = false;
    Boolean on;
    try {
      on = redis.execute((RedisCallback<Boolean>) connection -> {
        if (connection instanceof RedisClusterConnection cluster) {
          Boolean everywhere = null;
          boolean first = true;
          for (RedisClusterNode node : cluster.clusterGetNodes()) {
            if (node.isMarkedAsFail()) {
              continue;
            }
            Boolean here;
            try {
              here = ensure("Redis node " + node.asString(), () -> cluster.serverCommands().getConfig(node, PARAMETER),
                  value -> cluster.serverCommands().setConfig(node, PARAMETER, value));
            } catch (RuntimeException e) {
              log.debug("Cannot check {} on Redis node {}: {}", PARAMETER, node.asString(), e.getMessage());
              here = null; // left the topology meanwhile, or unreachable
            }
            // off anywhere: off; else unknown anywhere: unknown
            everywhere = first ? here : Boolean.FALSE.equals(everywhere) || Boolean.FALSE.equals(here) ? Boolean.FALSE
                : everywhere == null || here == null ? null : Boolean.TRUE;
            first = false;
          }
          return everywhere;
        }
        RedisServerCommands server = connection.serverCommands();
        return ensure("Redis", () -> server.getConfig(PARAMETER), value -> server.setConfig(PARAMETER, value));
      });
    } catch (DataAccessException e) {
      log.debug("Cannot check {}: {}", PARAMETER, e.getMessage());
      on = null;
    }
    enabled = on;
    return turnedOn;
  }

  /**
   * Whether the last check found notifications on; {@code null} before the first check and where the
   * server does not let frpc read its configuration.
   */
  Boolean isEnabled() {
    return enabled;
  }

  /** Checks one server named {@code server}; {@code null} when it cannot read the setting (refused or unreachable). */
  private Boolean ensure(String server, Supplier<Properties> get, Consumer<String> set) {
    String current;
    try {
      Properties config = get.get();
      current = config == null ? null : config.getProperty(PARAMETER);
    } catch (DataAccessException e) {
      reportRefusal("CONFIG GET", e);
      return null;
    }
    String merged = merge(current);
    Boolean before = seen.put(server, merged.equals(current));
    if (merged.equals(current)) {
      return true;
    }
    if (!configure) {
      if (!Boolean.FALSE.equals(before)) {
        log.warn("{} has {}='{}' but frpc discovery needs the flags K, g, $ and x: set it to '{}' "
            + "(frpc.discovery.redis.configure-keyspace-events=false leaves this to you); until then nodes are only "
            + "found by the periodic resync", server, PARAMETER, current, merged);
      }
      return false;
    }
    if (Boolean.TRUE.equals(before)) {
      log.warn("{} {} lost flags frpc discovery needs (now '{}': changed at runtime, by a restart or a failover); "
          + "restoring them", server, PARAMETER, current);
    }
    try {
      set.accept(merged);
      seen.put(server, true);
      turnedOn = true;
      log.info("Set {} {} from '{}' to '{}' for frpc discovery", server, PARAMETER, current, merged);
      return true;
    } catch (DataAccessException e) {
      reportRefusal("CONFIG SET", e);
      return false;
    }
  }

  private void reportRefusal(String command, DataAccessException e) {
    if (!RedisRefusal.isRefusal(e)) {
      // unreachable or closing, nothing was refused
      log.debug("Cannot run {} {}: {}", command, PARAMETER, e.getMessage());
      return;
    }
    if (!reportedRefusal) {
      reportedRefusal = true;
      log.error("Redis refused {} {} ({}). frpc discovery needs keyspace notifications: set {} to include the "
          + "flags K, g, $ and x (for example 'Kg$x', or 'KEA') in the server's configuration; until then nodes "
          + "are only found by the periodic resync (frpc.discovery.redis.resync-interval).", command, PARAMETER,
          e.getMostSpecificCause().getMessage(), PARAMETER);
    }
  }
}
