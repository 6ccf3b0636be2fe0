package io.frpc.discovery.redis;

import io.frpc.time.FrpcClock;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Reads registration keys: value and remaining TTL in one round trip each. Many keys at once (a burst of
 * notifications, a listing) go out back to back through Lettuce's asynchronous API, so they cost about one
 * round trip together instead of one each; on a Redis Cluster each goes to the master of its key. Reading an
 * expired key makes Redis delete it (and notify) at once. A key that holds no string (a hash, a list: another
 * tool's, or a writer's junk) or a string longer than a registration can be is reported as unreadable without
 * reading its value, so neither fails nor slows down the reading of the others.
 */
final class RegistrationReader {

  private static final String SCRIPT = "local t = redis.call('type', KEYS[1]).ok "
      + "if t ~= 'string' and t ~= 'none' then return {false, redis.call('pttl', KEYS[1]), 'holds a ' .. t} end "
      + "local n = redis.call('strlen', KEYS[1]) "
      + "if n > tonumber(ARGV[1]) then return {false, redis.call('pttl', KEYS[1]), 'holds a value of ' .. n .. "
      + "' bytes, more than a registration can be'} end "
      + "return {redis.call('get', KEYS[1]), redis.call('pttl', KEYS[1])}";
  /** Longest value read, in bytes: a registration's longest, in UTF-8. */
  private static final String MAX_BYTES = Integer.toString(4 * RegistrationCodec.MAX_VALUE_CHARS);
  private static final byte[] MAX_BYTES_ARGUMENT = MAX_BYTES.getBytes(StandardCharsets.US_ASCII);
  private static final RedisScript<List> READ = RedisScript.of(SCRIPT, List.class);
  private static final byte[] SCRIPT_BYTES = SCRIPT.getBytes(StandardCharsets.UTF_8);

  private final StringRedisTemplate redis;
  private final Duration timeout;
  private final FrpcClock clock;

  /**
   * What Redis holds under a key: its value (or {@code null}) and remaining TTL in milliseconds.
   *
   * @param unreadable why the value was not read (completing "it ..."; safe to log), or {@code null}
   */
  record Registration(String value, long ttlMillis, String unreadable) {
  }

  /** The outcome of reading one key of a batch: what Redis holds, or why it could not be read. */
  record Read(String key, Registration registration, DataAccessException failure) {
  }

  /**
   * @param timeout how long a batch may take before its unanswered keys count as failed
   * @param clock   measures that time
   */
  RegistrationReader(StringRedisTemplate redis, Duration timeout, FrpcClock clock) {
    this.redis = redis;
    this.timeout = timeout;
    this.clock = clock;
  }

  /** Reads one key. */
  Registration read(String key) {
    List<?> read = redis.execute(READ, List.of(key), MAX_BYTES);
    Object value = read == null || read.isEmpty() ? null : read.get(0);
    long ttl = read != null && read.size() > 1 && read.get(1) instanceof Number number ? number.longValue() : -2;
    Object unreadable = read != null && read.size() > 2 ? read.get(2) : null;
    return new Registration(value instanceof String text ? text : null, ttl,
        unreadable == null ? null : unreadable.toString());
  }

  /** Reads {@code keys}, in that order; a key that fails does not fail the others. */
  List<Read> readAll(List<String> keys) {
    if (keys.size() > 1 && DiscoveryConnections.LETTUCE) {
      List<Read> reads = redis.execute((RedisCallback<List<Read>>) connection ->
          connection.getNativeConnection() instanceof RedisScriptingAsyncCommands<?, ?> commands
              ? readTogether(asBytes(commands), keys) : null);
      if (reads != null) {
        return reads;
      }
    }
    List<Read> reads = new ArrayList<>(keys.size());
    for (String key : keys) {
      try {
        reads.add(new Read(key, read(key), null));
      } catch (DataAccessException e) {
        reads.add(new Read(key, null, e));
      }
    }
    return reads;
  }

  @SuppressWarnings("unchecked")
  private static RedisScriptingAsyncCommands<byte[], byte[]> asBytes(RedisScriptingAsyncCommands<?, ?> commands) {
    // Spring Data Redis's Lettuce connections use the byte[] codec
    return (RedisScriptingAsyncCommands<byte[], byte[]>) commands;
  }

  private List<Read> readTogether(RedisScriptingAsyncCommands<byte[], byte[]> commands, List<String> keys) {
    List<RedisFuture<List<Object>>> futures = new ArrayList<>(keys.size());
    for (String key : keys) {
      futures.add(commands.eval(SCRIPT_BYTES, ScriptOutputType.MULTI, new byte[][] {key.getBytes(
          StandardCharsets.UTF_8)}, MAX_BYTES_ARGUMENT));
    }
    long deadline = clock.nanoTime() + timeout.toNanos();
    List<Read> reads = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      try {
        List<Object> read = futures.get(i).get(Math.max(0, deadline - clock.nanoTime()), TimeUnit.NANOSECONDS);
        reads.add(new Read(key, registration(read), null));
      } catch (ExecutionException | TimeoutException e) {
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        reads.add(new Read(key, null, new RedisSystemException("Cannot read " + key + ": " + cause.getMessage(),
            cause)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        reads.add(new Read(key, null, new RedisSystemException("Interrupted reading " + key, e)));
      }
    }
    return reads;
  }

  private static Registration registration(List<Object> read) {
    Object value = read == null || read.isEmpty() ? null : read.get(0);
    long ttl = read != null && read.size() > 1 && read.get(1) instanceof Number number ? number.longValue() : -2;
    Object unreadable = read != null && read.size() > 2 ? read.get(2) : null;
    return new Registration(value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : null, ttl,
        unreadable instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : null);
  }
}
