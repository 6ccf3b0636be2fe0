package io.frpc.discovery.redis;

import java.time.Duration;

/**
 * The five things a registrar asks of Redis, each one command (or one script, so that a check and a write happen
 * together). {@link RedisRegistrationStore} runs them on Redis; the registrar's decisions stay apart from them.
 * Failures are Spring's {@code DataAccessException}s (or {@code IllegalStateException} from a closed client).
 */
interface RegistrationStore {

  /** Writes {@code value} under {@code key} with {@code ttl} unless the key exists ({@code SET NX PX}). */
  boolean claim(String key, String value, Duration ttl);

  /** The value under {@code key}, or {@code null}. */
  String get(String key);

  /**
   * Renews the TTL of {@code key} if it holds {@code value}: {@code "+"} when renewed, {@code "-"} when the key is
   * gone, else {@code "="} followed by the value another writer put there.
   */
  String renewIfHolds(String key, String value, Duration ttl);

  /** Replaces {@code current} by {@code value} (with {@code ttl}) if the key still holds {@code current}. */
  boolean replaceIfHolds(String key, String current, String value, Duration ttl);

  /** Deletes {@code key} if it holds {@code value}; returns whether it did. */
  boolean deleteIfHolds(String key, String value);
}
