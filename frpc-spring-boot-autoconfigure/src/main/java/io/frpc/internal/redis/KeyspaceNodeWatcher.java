package io.frpc.internal.redis;

import io.frpc.NodeDownReason;
import io.frpc.NodeId;
import io.frpc.discovery.DiscoveryContext;
import io.frpc.internal.protocol.FrameType;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.backoff.FixedBackOff;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps the client's view of the watched node names in step with Redis. It subscribes to the keyspace
 * notifications of their registration keys first, then lists the keys (SCAN), so no node is missed at
 * start-up; on every (re-)subscription, e.g. after Redis comes back, it lists them again and reconciles.
 * Only {@code set} makes it read a key; the {@code expire} of a refresh needs no read. {@code del} means
 * deregistered, {@code expired} means the node stopped refreshing. A node merely missing from a listing
 * is removed only if it is still missing after the TTL plus one refresh, so a Redis that lost its data
 * cannot tear down healthy connections before the registrars have written their keys again.
 * All state changes happen on one thread.
 */
public final class KeyspaceNodeWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KeyspaceNodeWatcher.class);
  private static final long SUBSCRIBE_RETRY_MILLIS = 500;

  private final RedisDiscoverySettings settings;
  private final StringRedisTemplate redis;
  private final RedisConnectionFactory connectionFactory;
  private final KeyspaceEventsConfigurer keyspaceEvents;
  private final DiscoveryContext nodes;
  private final JsonMapper json;
  private final ScheduledExecutorService thread;
  private final Map<NodeId, NodeRegistration> known = new HashMap<>();
  private final Set<NodeId> missing = new HashSet<>();
  private final Set<String> reportedKeys = new HashSet<>();
  private volatile RedisMessageListenerContainer container;
  private volatile boolean synced;
  private volatile boolean closed;
  private final AtomicBoolean fullResyncQueued = new AtomicBoolean();
  private boolean reportedUnreachable;

  /**
   * @param thread the single thread all reads and view changes run on
   */
  public KeyspaceNodeWatcher(RedisDiscoverySettings settings, StringRedisTemplate redis,
      RedisConnectionFactory connectionFactory, KeyspaceEventsConfigurer keyspaceEvents, DiscoveryContext nodes,
      JsonMapper json, ScheduledExecutorService thread) {
    this.settings = settings;
    this.redis = redis;
    this.connectionFactory = connectionFactory;
    this.keyspaceEvents = keyspaceEvents;
    this.nodes = nodes;
    this.json = json;
    this.thread = thread;
  }

  /** Subscribes (in the background, retrying while Redis is away) and schedules the periodic resync. */
  public void start() {
    thread.execute(this::subscribe);
    long resync = settings.resyncInterval().toMillis();
    thread.scheduleWithFixedDelay(() -> resync(false), resync, resync, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts the subscription. Once started, the container re-subscribes by itself after connection
   * losses; only a first start while Redis is unreachable fails, and is retried with a new container.
   */
  private void subscribe() {
    if (closed) {
      return;
    }
    RedisMessageListenerContainer attempt = new RedisMessageListenerContainer();
    attempt.setConnectionFactory(connectionFactory);
    attempt.setRecoveryBackoff(new FixedBackOff(SUBSCRIBE_RETRY_MILLIS));
    attempt.addMessageListener(new Listener(),
        settings.watch().stream().map(name -> new PatternTopic(settings.channelPattern(name))).toList());
    attempt.afterPropertiesSet();
    try {
      attempt.start();
      container = attempt;
    } catch (RuntimeException e) {
      destroy(attempt);
      if (!reportedUnreachable) {
        reportedUnreachable = true;
        log.warn("Redis unreachable, cannot watch {} yet ({}); retrying every {} ms", settings.watch(),
            e.getMessage(), SUBSCRIBE_RETRY_MILLIS);
      }
      thread.schedule(this::subscribe, SUBSCRIBE_RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** Whether the subscription stands and the view was reconciled with Redis since. */
  public boolean isSynced() {
    RedisMessageListenerContainer current = container;
    return synced && current != null && current.isListening();
  }


  @Override
  public void close() {
    closed = true;
    try {
      thread.submit(() -> {
        if (container != null) {
          destroy(container);
        }
      }).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("Closing the keyspace subscription failed", e);
    }
  }

  private static void destroy(RedisMessageListenerContainer container) {
    try {
      container.destroy();
    } catch (Exception e) {
      log.debug("Closing a keyspace subscription failed", e);
    }
  }

  /** Lists every registration; a full resync also re-reads the keys it knows, to catch missed restarts. */
  private void resync(boolean full) {
    try {
      Set<NodeId> listed = new HashSet<>();
      for (String name : settings.watch()) {
        try (Cursor<String> keys = redis.scan(ScanOptions.scanOptions().match(settings.keyPattern(name))
            .count(100).build())) {
          while (keys.hasNext()) {
            String key = keys.next();
            NodeId id = parse(key, name);
            if (id != null) {
              listed.add(id);
              if (full || !known.containsKey(id)) {
                read(key, id);
              }
            }
          }
        }
      }
      for (NodeId id : Set.copyOf(known.keySet())) {
        if (!listed.contains(id) && missing.add(id)) {
          thread.schedule(() -> confirmGone(id), settings.grace().toMillis(), TimeUnit.MILLISECONDS);
        }
      }
      synced = true;
    } catch (DataAccessException e) {
      synced = false;
      log.warn("Cannot list registrations in Redis: {}; the view is kept and resynced when Redis answers",
          e.getMessage());
    }
  }

  private void confirmGone(NodeId id) {
    if (!missing.remove(id)) {
      return;
    }
    try {
      if (redis.opsForValue().get(settings.key(id)) == null) {
        remove(id, NodeDownReason.EXPIRED);
      }
    } catch (DataAccessException e) {
      log.debug("Cannot confirm that {} is gone: {}", id, e.getMessage());
    }
  }

  private void onEvent(String key, String event) {
    String name = nameOf(key);
    NodeId id = name == null ? null : parse(key, name);
    if (id == null) {
      return;
    }
    switch (event) {
      case "set" -> read(key, id);
      case "del" -> remove(id, NodeDownReason.DEREGISTERED);
      case "expired" -> remove(id, NodeDownReason.EXPIRED);
      default -> {
        // "expire" is a refresh: nothing changed.
      }
    }
  }

  private void read(String key, NodeId id) {
    String value;
    try {
      value = redis.opsForValue().get(key);
    } catch (DataAccessException e) {
      log.warn("Cannot read registration {}: {}", key, e.getMessage());
      return;
    }
    if (value == null) {
      return;
    }
    NodeRegistration registration;
    try {
      registration = json.readValue(value, NodeRegistration.class);
    } catch (JacksonException e) {
      reportOnce(key, "is not a node registration (" + e.getOriginalMessage() + ")");
      return;
    }
    String problem = registration.problem();
    if (problem == null && registration.protocolVersion() != FrameType.PROTOCOL_VERSION) {
      problem = "speaks protocol version " + registration.protocolVersion() + ", this node "
          + FrameType.PROTOCOL_VERSION;
    }
    if (problem != null) {
      reportOnce(key, "is unusable: " + problem);
      return;
    }
    missing.remove(id);
    NodeRegistration previous = known.put(id, registration);
    if (previous != null && !previous.bootId().equals(registration.bootId())) {
      log.info("Node {} restarted (boot id {} -> {})", id, previous.bootId(), registration.bootId());
      nodes.nodeUnavailable(id, NodeDownReason.RESTARTED);
    }
    nodes.nodeAvailable(id, registration.host(), registration.port());
  }

  private void remove(NodeId id, NodeDownReason reason) {
    missing.remove(id);
    if (known.remove(id) != null) {
      log.info("Node {} left Redis discovery: {}", id, reason);
      nodes.nodeUnavailable(id, reason);
    }
  }

  private void reportOnce(String key, String problem) {
    if (reportedKeys.add(key)) {
      log.warn("Ignoring Redis key {}: it {}", key, problem);
    }
  }

  /** The watched name a key belongs to, or {@code null}. */
  private String nameOf(String key) {
    for (String name : settings.watch()) {
      if (key.startsWith(settings.keyPrefix() + ":rpc:" + name + ":")) {
        return name;
      }
    }
    return null;
  }

  /** The node id of {@code prefix:rpc:name:id}, or {@code null} (logged once) for a foreign key. */
  private NodeId parse(String key, String name) {
    String id = key.substring(settings.keyPrefix().length() + ":rpc:".length() + name.length() + 1);
    try {
      return new NodeId(name, Integer.parseInt(id));
    } catch (NumberFormatException e) {
      reportOnce(key, "does not end in a node id");
      return null;
    }
  }

  /** Receives notifications on the subscription thread and hands them to the watcher thread. */
  private final class Listener implements MessageListener, SubscriptionListener {

    private final String channelPrefix = "__keyspace@" + settings.database() + "__:";

    @Override
    public void onMessage(Message message, byte[] pattern) {
      String channel = new String(message.getChannel(), StandardCharsets.UTF_8);
      String event = new String(message.getBody(), StandardCharsets.UTF_8);
      if (channel.startsWith(channelPrefix)) {
        String key = channel.substring(channelPrefix.length());
        thread.execute(() -> onEvent(key, event));
      }
    }

    @Override
    public void onPatternSubscribed(byte[] pattern, long count) {
      // Every subscription, the first and those after a reconnection: notifications may have been lost.
      // One confirmation arrives per watched name; one full resync covers them all.
      if (fullResyncQueued.compareAndSet(false, true)) {
        thread.execute(() -> {
          fullResyncQueued.set(false);
          keyspaceEvents.ensureEnabled();
          resync(true);
        });
      }
    }

    @Override
    public void onPatternUnsubscribed(byte[] pattern, long count) {
      synced = false;
    }
  }
}
