package io.frpc.discovery.redis;

import io.frpc.time.ManualClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.springframework.data.redis.RedisConnectionFailureException;

/**
 * The registrar's five commands on a map whose keys expire on a {@link ManualClock}, for testing the registrar's
 * decisions in milliseconds; what Redis does with them is tested against a real Redis (RedisDiscoveryTest,
 * RedisHardeningTest). Counts the commands; can be made unreachable.
 */
final class InMemoryRegistrationStore implements RegistrationStore {

  private record Entry(String value, long expiresAt) {
  }

  private final ManualClock clock;
  private final Map<String, Entry> entries = new HashMap<>();
  private final Map<String, Integer> commands = new HashMap<>();
  private boolean reachable = true;

  InMemoryRegistrationStore(ManualClock clock) {
    this.clock = clock;
  }

  /** Another writer's {@code SET key value PX ttl}. */
  void set(String key, String value, Duration ttl) {
    entries.put(key, new Entry(value, clock.nanoTime() + ttl.toNanos()));
  }

  /** What the key holds now, or {@code null}. */
  String value(String key) {
    Entry entry = live(key);
    return entry == null ? null : entry.value();
  }

  /** {@code FLUSHALL}. */
  void flush() {
    entries.clear();
  }

  void reachable(boolean reachable) {
    this.reachable = reachable;
  }

  /** How often each command was sent: claim, get, renew, replace, delete. */
  Map<String, Integer> commands() {
    return Map.copyOf(commands);
  }

  @Override
  public boolean claim(String key, String value, Duration ttl) {
    sent("claim");
    if (live(key) != null) {
      return false;
    }
    set(key, value, ttl);
    return true;
  }

  @Override
  public String get(String key) {
    sent("get");
    return value(key);
  }

  @Override
  public String renewIfHolds(String key, String value, Duration ttl) {
    sent("renew");
    Entry entry = live(key);
    if (entry == null) {
      return "-";
    }
    if (!entry.value().equals(value)) {
      return "=" + entry.value();
    }
    set(key, value, ttl);
    return "+";
  }

  @Override
  public boolean replaceIfHolds(String key, String current, String value, Duration ttl) {
    sent("replace");
    Entry entry = live(key);
    if (entry == null || !entry.value().equals(current)) {
      return false;
    }
    set(key, value, ttl);
    return true;
  }

  @Override
  public boolean deleteIfHolds(String key, String value) {
    sent("delete");
    Entry entry = live(key);
    if (entry == null || !entry.value().equals(value)) {
      return false;
    }
    entries.remove(key);
    return true;
  }

  private void sent(String command) {
    if (!reachable) {
      throw new RedisConnectionFailureException("Unable to connect to Redis");
    }
    commands.merge(command, 1, Integer::sum);
  }

  private Entry live(String key) {
    Entry entry = entries.get(key);
    if (entry != null && clock.nanoTime() - entry.expiresAt() >= 0) {
      entries.remove(key);
      return null;
    }
    return entry;
  }
}
