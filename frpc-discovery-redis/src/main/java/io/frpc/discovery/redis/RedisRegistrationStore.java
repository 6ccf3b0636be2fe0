package io.frpc.discovery.redis;

import java.time.Duration;
import java.util.List;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/** A {@link RegistrationStore} on Redis: compare-and-write steps are Lua scripts, so nobody writes in between. */
final class RedisRegistrationStore implements RegistrationStore {

  private static final RedisScript<Long> DELETE_IF_OURS = RedisScript.of(
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
      Long.class);
  /** "+": renewed; "-": the key is gone; "=" followed by the value another writer put there. */
  private static final RedisScript<String> RENEW_IF_OURS = RedisScript.of(
      "local v = redis.call('get', KEYS[1]) "
          + "if v == ARGV[1] then redis.call('pexpire', KEYS[1], ARGV[2]) return '+' end "
          + "if not v then return '-' end "
          + "return '=' .. v", String.class);
  /** Replaces the value ARGV[1] with ARGV[2] (TTL ARGV[3] ms) only if the key still holds ARGV[1]. */
  private static final RedisScript<Long> REPLACE_IF_HOLDS = RedisScript.of(
      "if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('set', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 "
          + "end return 0", Long.class);

  private final StringRedisTemplate redis;

  RedisRegistrationStore(StringRedisTemplate redis) {
    this.redis = redis;
  }

  @Override
  public boolean claim(String key, String value, Duration ttl) {
    return Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(key, value, ttl));
  }

  @Override
  public String get(String key) {
    return redis.opsForValue().get(key);
  }

  @Override
  public String renewIfHolds(String key, String value, Duration ttl) {
    return redis.execute(RENEW_IF_OURS, List.of(key), value, Long.toString(ttl.toMillis()));
  }

  @Override
  public boolean replaceIfHolds(String key, String current, String value, Duration ttl) {
    return Long.valueOf(1).equals(redis.execute(REPLACE_IF_HOLDS, List.of(key), current, value,
        Long.toString(ttl.toMillis())));
  }

  @Override
  public boolean deleteIfHolds(String key, String value) {
    Long deleted = redis.execute(DELETE_IF_OURS, List.of(key), value);
    return deleted != null && deleted > 0;
  }
}
