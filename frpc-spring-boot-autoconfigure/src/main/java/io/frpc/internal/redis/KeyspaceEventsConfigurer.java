package io.frpc.internal.redis;

import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.RedisConnectionFailureException;
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
  /** Whether the last check found the flags set (null before the first); logs only on changes. */
  private volatile Boolean enabled;

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

  /**
   * Checks the setting and, when allowed, adds what is missing; run at start-up and periodically, since an
   * operator or a Redis restart can change it at runtime. Returns whether notifications are on.
   */
  public boolean ensureEnabled() {
    String current;
    try {
      Properties config = redis.execute((RedisCallback<Properties>) c -> c.serverCommands().getConfig(PARAMETER));
      current = config == null ? null : config.getProperty(PARAMETER);
    } catch (DataAccessException e) {
      reportRefusal("CONFIG GET", e);
      enabled = null;
      return false;
    }
    boolean on = check(current);
    enabled = on;
    return on;
  }

  /**
   * Whether the last check found notifications on; {@code null} before the first check and where the
   * server does not let frpc read its configuration.
   */
  public Boolean isEnabled() {
    return enabled;
  }

  private boolean check(String current) {
    String merged = merge(current);
    if (merged.equals(current)) {
      return true;
    }
    if (!configure) {
      if (!Boolean.FALSE.equals(enabled)) {
        log.warn("Redis has {}='{}' but frpc discovery needs the flags K, g, $ and x: set it to '{}' "
            + "(frpc.discovery.redis.configure-keyspace-events=false leaves this to you); until then nodes are only "
            + "found by the periodic resync", PARAMETER, current, merged);
      }
      return false;
    }
    if (Boolean.TRUE.equals(enabled)) {
      log.warn("Redis {} lost flags frpc discovery needs (now '{}', changed at runtime or by a restart); "
          + "restoring them", PARAMETER, current);
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
    String answer = e.getMostSpecificCause().getMessage();
    if (e instanceof RedisConnectionFailureException || answer == null || !answer.matches("[A-Z]+ .*")) {
      // not an error reply from Redis ("ERR ...", "NOPERM ..."): unreachable or closing, nothing was refused
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
