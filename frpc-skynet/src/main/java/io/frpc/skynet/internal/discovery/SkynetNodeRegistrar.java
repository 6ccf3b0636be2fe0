package io.frpc.skynet.internal.discovery;

import io.frpc.skynet.internal.handshake.SkynetSecurity;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Announces a Java node to skynet_fly nodes as a skynet_fly server does ({@code frpc_server} with
 * {@code register = "redis"}): {@code SET skynet_fly:rpc:<svr_name>:<svr_id> <host:port>_<secret_key or #>_<1 or #>
 * EX 10} at once and every second after, so the key lives 10 s after the last write.
 *
 * <p><b>The secret key is stored in clear in Redis</b>, as skynet_fly stores it: whoever can read the key can
 * connect to the node. A secret key holding {@code '_'} or equal to {@code "#"} is refused (skynet_fly could not read
 * it back).
 *
 * <p>The key must be in db 0: skynet_fly's watchers subscribe to {@code __keyspace@0__} whatever their own
 * database, so give this registrar a template whose connection uses db 0. {@link #close()} stops the refreshes and
 * leaves the key to expire, as a stopped skynet_fly node does: skynet_fly's watchers act on {@code expired}, not on
 * {@code del} (a deleted key would leave them believing the node registered).
 *
 * <p>A failed write is logged (once per outage) and retried on the next refresh. Thread-safe.
 */
public final class SkynetNodeRegistrar implements AutoCloseable {

  /** skynet_fly's refresh interval: 1 s. */
  public static final Duration REFRESH_INTERVAL = Duration.ofSeconds(1);
  /** skynet_fly's expiry of a registration: 10 s. */
  public static final Duration TTL = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(SkynetNodeRegistrar.class);

  private final StringRedisTemplate redis;
  private final String key;
  private final String value;
  private final ScheduledExecutorService scheduler;
  private final Duration refreshInterval;
  /** Guarded by {@code this}. */
  private ScheduledFuture<?> refreshes;
  /** Guarded by {@code this}. */
  private boolean closed;
  /** Written by the refreshes only, which never overlap. */
  private volatile boolean failing;

  /**
   * A registrar of a node; nothing is written before {@link #start()}.
   *
   * @param redis the template of db 0
   * @param svrName this node's {@code svr_name}
   * @param svrId this node's {@code svr_id}
   * @param address the {@code host:port} skynet_fly clients connect to (skynet_fly's {@code frpc_server.host})
   * @param security the secret key (stored in clear in Redis) and encryption this node's server expects
   * @param scheduler runs the refreshes (not shut down by {@link #close()})
   * @throws IllegalArgumentException if the address or secret key could not be read back by skynet_fly
   */
  public SkynetNodeRegistrar(StringRedisTemplate redis, String svrName, long svrId, String address,
      SkynetSecurity security, ScheduledExecutorService scheduler) {
    this(redis, svrName, svrId, address, security, scheduler, REFRESH_INTERVAL);
  }

  SkynetNodeRegistrar(StringRedisTemplate redis, String svrName, long svrId, String address,
      SkynetSecurity security, ScheduledExecutorService scheduler, Duration refreshInterval) {
    this.redis = Objects.requireNonNull(redis, "redis");
    SkynetNodeWatcher.checkSvrName(svrName);
    this.key = SkynetRegistrationFormat.key(svrName, svrId);
    this.value = SkynetRegistrationFormat.value(Objects.requireNonNull(address, "address"),
        Objects.requireNonNull(security, "security"));
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.refreshInterval = refreshInterval;
  }

  /** The key this registrar writes. */
  public String key() {
    return key;
  }

  /** Writes the registration now, then every second, in the scheduler's threads. Starting twice does nothing. */
  public synchronized void start() {
    if (refreshes == null && !closed) {
      refreshes = scheduler.scheduleWithFixedDelay(this::refresh, 0, refreshInterval.toNanos(),
          TimeUnit.NANOSECONDS);
    }
  }

  private void refresh() {
    try {
      redis.opsForValue().set(key, value, TTL);
      if (failing) {
        log.info("Redis accepts the skynet_fly registration {} again", key);
        failing = false;
      }
    } catch (DataAccessException | IllegalStateException e) {
      if (!failing) {
        log.warn("Could not write the skynet_fly registration {} to Redis: {}; retrying every {} ms", key,
            e.getMessage(), refreshInterval.toMillis());
        failing = true;
      }
    }
  }

  /** Stops refreshing; the key expires within 10 s. */
  @Override
  public synchronized void close() {
    closed = true;
    if (refreshes != null) {
      refreshes.cancel(false);
    }
  }
}
