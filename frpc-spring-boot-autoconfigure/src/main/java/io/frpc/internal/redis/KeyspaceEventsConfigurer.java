package io.frpc.internal.redis;

import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Makes sure Redis publishes the keyspace notifications discovery listens to: {@code K} (keyspace
 * channel), {@code g} (del, expire), {@code $} (set) and {@code x} (expired). Flags already set are kept.
 * Where the server refuses {@code CONFIG} (managed services), it says exactly what the operator must set.
 */
public final class KeyspaceEventsConfigurer {

  private static final Logger log = LoggerFactory.getLogger(KeyspaceEventsConfigurer.class);
  private static final String PARAMETER = "notify-keyspace-events";

  private final StringRedisTemplate redis;
  private final boolean configure;
  private volatile boolean reportedRefusal;

  /**
   * @param configure whether to change the server's setting, or only to check it
   */
  public KeyspaceEventsConfigurer(StringRedisTemplate redis, boolean configure) {
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

  /** Checks the setting and, when allowed, adds what is missing. Returns whether notifications are on. */
  public boolean ensureEnabled() {
    String current;
    try {
      Properties config = redis.execute((RedisCallback<Properties>) c -> c.serverCommands().getConfig(PARAMETER));
      current = config == null ? null : config.getProperty(PARAMETER);
    } catch (DataAccessException e) {
      reportRefusal("CONFIG GET", e);
      return false;
    }
    String merged = merge(current);
    if (merged.equals(current)) {
      return true;
    }
    if (!configure) {
      log.warn("Redis has {}='{}' but frpc discovery needs the flags K, g, $ and x: set it to '{}' "
          + "(frpc.discovery.redis.configure-keyspace-events=false leaves this to you)", PARAMETER, current, merged);
      return false;
    }
    try {
      redis.execute((RedisCallback<Void>) c -> {
        c.serverCommands().setConfig(PARAMETER, merged);
        return null;
      });
      log.info("Set Redis {} from '{}' to '{}' for frpc discovery", PARAMETER, current, merged);
      return true;
    } catch (DataAccessException e) {
      reportRefusal("CONFIG SET", e);
      return false;
    }
  }

  private void reportRefusal(String command, DataAccessException e) {
    if (!reportedRefusal) {
      reportedRefusal = true;
      log.error("Redis refused {} {} ({}). frpc discovery needs keyspace notifications: set {} to include the "
          + "flags K, g, $ and x (for example 'Kg$x', or 'KEA') in the server's configuration; until then nodes "
          + "are only found by the periodic resync (frpc.discovery.redis.resync-interval).", command, PARAMETER,
          e.getMostSpecificCause().getMessage(), PARAMETER);
    }
  }
}
