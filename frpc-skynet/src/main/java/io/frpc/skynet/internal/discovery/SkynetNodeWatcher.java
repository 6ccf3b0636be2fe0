package io.frpc.skynet.internal.discovery;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Watches the Redis registrations of skynet_fly nodes ({@code skynet_fly:rpc:<svr_name>:<svr_id>}, see
 * {@link SkynetNodeRegistrar}) of some {@code svr_name}s and tells a {@link RegisteredNodeListener} when they come, change
 * and go, as skynet_fly's {@code frpc_client_m} with {@code watch = "redis"} does: it subscribes to the keyspace
 * notifications {@code __keyspace@0__:skynet_fly:rpc:<svr_name>:*}; on {@code set} it reads the key and reports a
 * node that is new or whose value changed (first down, then up); on {@code expired} and {@code del} (skynet_fly
 * ignores {@code del}), and on a {@code set} whose key is gone or holds what is not a registration, it reports the
 * node down.
 *
 * <p>Unlike skynet_fly's, it also scans the keys once subscribed, so nodes registered before it started are reported
 * at once (skynet_fly waits for their next refresh), and again after each re-subscription (the container subscribes
 * again after a lost connection; what happened meanwhile is reconciled: nodes whose key is gone are reported down).
 *
 * <p>Redis must publish keyspace notifications of keys and generic and expiry events ({@code notify-keyspace-events}
 * holding {@code K}, {@code g}, {@code $} and {@code x}, e.g. {@code KA}); skynet_fly does not set it, nor does this.
 * The keys live in db 0 whatever the database of the template's connection: skynet_fly's watchers subscribe to db 0.
 *
 * <p>Notifications and scans are handled one at a time, in order, on the watcher's own thread (a daemon thread
 * stopped by {@link #close()}), each reading the key and reporting in one step, so a report never overtakes a
 * later one; listener calls come on that thread. At most 10,000 notifications wait for it; beyond, they are
 * dropped and every registration is read again instead.
 */
public final class SkynetNodeWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SkynetNodeWatcher.class);
  /** How many notifications may wait for the watcher's thread; beyond, they are dropped for one resync. */
  private static final int MAX_PENDING = 10_000;

  private final StringRedisTemplate redis;
  private final List<String> svrNames;
  private final RegisteredNodeListener listener;
  private final RedisMessageListenerContainer container = new RedisMessageListenerContainer();
  private final CountDownLatch subscribed;
  private final AtomicInteger subscriptions = new AtomicInteger();
  /**
   * The watcher's thread: every read of Redis, every report. (Not the subscription's thread, which is the Redis
   * client's I/O thread: a blocking read there would wait for itself.)
   */
  private final ThreadPoolExecutor thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
      new LinkedBlockingQueue<>(MAX_PENDING), runnable -> {
        Thread watcher = new Thread(runnable, "skynet-node-watcher");
        watcher.setDaemon(true);
        return watcher;
      }, (runnable, executor) -> overflowed());
  /** Whether notifications were dropped for want of room: the next task resyncs instead. */
  private final AtomicBoolean resyncDue = new AtomicBoolean();
  /** The nodes reported up, by key. Owned by the watcher's thread. */
  private final Map<String, SkynetNode> nodes = new HashMap<>();

  /**
   * A watcher of the nodes of these {@code svr_name}s; nothing happens before {@link #start()}.
   *
   * @param redis the template of db 0, whose connection factory the subscription uses too
   * @param svrNames the {@code svr_name}s to watch
   * @param listener told of nodes coming and going
   * @throws IllegalArgumentException if a name is empty or holds a character of Redis's glob patterns
   */
  public SkynetNodeWatcher(StringRedisTemplate redis, Set<String> svrNames, RegisteredNodeListener listener) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.svrNames = List.copyOf(svrNames);
    this.listener = Objects.requireNonNull(listener, "listener");
    if (this.svrNames.isEmpty()) {
      throw new IllegalArgumentException("name at least one svr_name to watch");
    }
    this.svrNames.forEach(SkynetNodeWatcher::checkSvrName);
    this.subscribed = new CountDownLatch(this.svrNames.size());
    container.setConnectionFactory(Objects.requireNonNull(redis.getConnectionFactory(), "connection factory"));
    // notifications in the order Redis sent them, handed from the subscription's thread to the watcher's
    container.setTaskExecutor(new SyncTaskExecutor());
    // after a lost connection, subscribe again every half second (the container's default waits 5 s)
    container.setRecoveryBackoff(new FixedBackOff(500, FixedBackOff.UNLIMITED_ATTEMPTS));
    Relay relay = new Relay();
    container.addMessageListener(relay, this.svrNames.stream()
        .map(name -> new PatternTopic(SkynetRegistrationFormat.channelPattern(name))).toList());
    container.afterPropertiesSet();
  }

  /** Refuses a name that is empty or would be read as a pattern in the key pattern. */
  static void checkSvrName(String svrName) {
    Objects.requireNonNull(svrName, "svrName");
    if (svrName.isEmpty() || svrName.chars().anyMatch(c -> "*?[]\\".indexOf(c) >= 0)) {
      throw new IllegalArgumentException("svr_name \"" + svrName + "\" must be non-empty without * ? [ ] \\");
    }
  }

  /**
   * Subscribes, waits up to the container's subscription timeout for the subscriptions to be confirmed, then scans
   * the keys and reports the nodes found, and returns once that is done (a scan that fails is logged; the
   * notifications still come).
   */
  public void start() {
    container.start();
    try {
      long wait = container.getMaxSubscriptionRegistrationWaitingTime() + 1000;
      if (!subscribed.await(wait, TimeUnit.MILLISECONDS)) {
        log.warn("Redis has not confirmed the subscription to skynet_fly registrations of {} yet; scanning anyway",
            svrNames);
      }
      thread.submit(this::resync).get(wait, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("The first scan of skynet_fly registrations of {} did not complete: {}", svrNames, e.toString());
    }
  }

  private void onThread(Runnable task) {
    thread.execute(() -> {
      if (resyncDue.getAndSet(false)) {
        resync();
      }
      task.run();
    });
  }

  private void overflowed() {
    if (!resyncDue.getAndSet(true)) {
      log.warn("More than {} keyspace notifications wait: dropping them, and reading every registration instead",
          MAX_PENDING);
    }
  }

  /** Reads every registration of the watched names and reconciles the nodes reported with them. */
  private void resync() {
    Set<String> present = new HashSet<>();
    try {
      for (String svrName : svrNames) {
        ScanOptions options = ScanOptions.scanOptions().match(SkynetRegistrationFormat.keyPattern(svrName))
            .count(100).build();
        List<String> keys = new ArrayList<>();
        try (Cursor<String> cursor = redis.scan(options)) {
          cursor.forEachRemaining(keys::add);
        }
        for (String key : keys) {
          Long svrId = SkynetRegistrationFormat.svrId(svrName, key);
          if (svrId != null) {
            present.add(key);
            refresh(svrName, svrId, key);
          }
        }
      }
    } catch (DataAccessException | IllegalStateException e) {
      log.warn("Could not scan the skynet_fly registrations of {}: {}", svrNames, e.getMessage());
      return;
    }
    for (SkynetNode gone : List.copyOf(nodes.values())) {
      String key = SkynetRegistrationFormat.key(gone.svrName(), gone.svrId());
      if (!present.contains(key)) {
        down(key);
      }
    }
  }

  /** Reads a node's key and reports what changed. */
  private void refresh(String svrName, long svrId, String key) {
    String value;
    try {
      value = redis.opsForValue().get(key);
    } catch (DataAccessException | IllegalStateException e) {
      // skynet_fly's "get_failed": the node is dropped
      log.warn("Could not read the skynet_fly registration {}: {}", key, e.getMessage());
      down(key);
      return;
    }
    SkynetNode node = value == null ? null : SkynetRegistrationFormat.parse(svrName, svrId, value);
    if (node == null) {
      if (value != null) {
        log.warn("Ignored the skynet_fly registration {}: \"{}\" is not <host:port>_<secret or #>_<1 or #>", key,
            printable(value));
      }
      down(key);
      return;
    }
    SkynetNode known = nodes.get(key);
    if (node.equals(known)) {
      return;
    }
    if (known != null) {
      down(key);
    }
    nodes.put(key, node);
    log.info("skynet_fly node {} is up at {}:{}", node.clusterName(), node.host(), node.port());
    call(() -> listener.nodeUp(node));
  }

  private void down(String key) {
    SkynetNode gone = nodes.remove(key);
    if (gone != null) {
      log.info("skynet_fly node {} is down", gone.clusterName());
      call(() -> listener.nodeDown(gone));
    }
  }

  private void notification(String channel, String event) {
    String key = channel.substring(channel.indexOf(':') + 1);
    for (String svrName : svrNames) {
      Long svrId = SkynetRegistrationFormat.svrId(svrName, key);
      if (svrId == null) {
        continue;
      }
      switch (event) {
        case "set" -> refresh(svrName, svrId, key);
        case "expired", "del" -> down(key);
        default -> {
          // "expire" follows every "set EX"; nothing else concerns a registration
        }
      }
      return;
    }
  }

  /** A value anyone with access to Redis chose, for a log line: cut to 120 characters, control characters escaped. */
  private static String printable(String value) {
    StringBuilder out = new StringBuilder();
    value.codePoints().limit(120).forEach(c -> {
      if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return value.codePointCount(0, value.length()) > 120 ? out.append("...").toString() : out.toString();
  }

  private static void call(Runnable listenerCall) {
    try {
      listenerCall.run();
    } catch (RuntimeException e) {
      log.error("A skynet_fly node listener failed", e);
    }
  }

  /** Unsubscribes and stops the watcher's thread; reports nothing more. */
  @Override
  public void close() {
    try {
      container.destroy();
    } catch (Exception e) {
      log.debug("Closing the subscription to skynet_fly registrations failed", e);
    }
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Relay implements MessageListener, SubscriptionListener {

    @Override
    public void onMessage(Message message, byte[] pattern) {
      String channel = new String(message.getChannel(), StandardCharsets.UTF_8);
      String event = new String(message.getBody(), StandardCharsets.UTF_8);
      onThread(() -> notification(channel, event));
    }

    @Override
    public void onPatternSubscribed(byte[] pattern, long count) {
      subscribed.countDown();
      // after the first subscription of every pattern, each one is a re-subscription after a lost connection
      if (subscriptions.incrementAndGet() > svrNames.size()) {
        onThread(SkynetNodeWatcher.this::resync);
      }
    }
  }
}
