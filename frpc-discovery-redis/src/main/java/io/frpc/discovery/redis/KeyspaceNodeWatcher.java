package io.frpc.discovery.redis;

import io.frpc.NodeDownReason;
import io.frpc.NodeId;
import io.frpc.discovery.DiscoveryContext;
import io.frpc.internal.RateLimitedLog;
import io.frpc.internal.UntrustedText;
import io.frpc.internal.protocol.FrameType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps the client's view of the watched node names in step with Redis. It subscribes to the keyspace
 * notifications of their registration keys first, then lists the keys (SCAN), so no node is missed at
 * start-up; on every (re-)subscription, e.g. after Redis comes back, it lists them again and reconciles.
 *
 * <p>Notifications are handed over in the order Redis sent them and applied one at a time on the watcher thread. An
 * event is a hint, not a fact: {@code set}, {@code del} and {@code expired} make the watcher read the key's current
 * value and TTL, so a reordered or coalesced sequence converges to what Redis holds. The {@code expire} of a
 * refresh needs no read: it moves the key's deadline (TTL from now), and a known key past its deadline is read,
 * which makes Redis expire it at once (its own {@code expired} notification can come many seconds late among many
 * keys with a TTL). A registration that vanished (expired or deleted) is a dead node only if its connection does not
 * answer a heartbeat either: otherwise it is a Redis stall or a lost or deleted key, and the healthy connection stays
 * (a node that shuts down gracefully announces it on its connection first). Values are validated, and their
 * signature checked where this node has a secret for the name; junk is ignored and reported in a bounded,
 * rate-limited way. At most {@link RedisDiscoverySettings#maxNodesPerName()} registrations are followed per name:
 * keys past that are neither read nor connected to, only counted.
 */
public final class KeyspaceNodeWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KeyspaceNodeWatcher.class);
  /** First wait before trying Redis again (subscribing, listing after a subscription); doubles up to 8 s. */
  private static final long RETRY_MILLIS = 500;
  private static final long MAX_RETRY_MILLIS = 8_000;
  /** How long one sweep may spend reading, so a slow server cannot hold up the watcher thread for long. */
  private static final long SWEEP_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  /** How long a node whose registration vanished has to answer a heartbeat to be kept. */
  static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
  /** How often the keyspace-notification setting is checked (and restored where allowed). */
  private static final long NOTIFICATION_CHECK_MILLIS = 5_000;
  /** How often registrations past their deadline are looked for (see {@link #sweep()}). */
  private static final long SWEEP_MILLIS = 100;
  /** How many keys are read together at most (a burst of notifications, a listing, overdue keys). */
  private static final int BATCH = 256;
  /**
   * Notifications waiting for the watcher thread at most. Anyone who writes keys under the prefix makes them, so
   * past this they are dropped, and one full resync reads what Redis holds instead.
   */
  static final int MAX_PENDING = 10_000;
  /** A capped name whose keys were not counted by a listing yet. */
  private static final long UNCOUNTED = -1;
  /** How often at most a key ignored past the cap makes the watcher list the keys, to count them. */
  private static final long CAP_COUNT_NANOS = TimeUnit.SECONDS.toNanos(5);
  /** How often at most a node kept despite Redis is warned about. */
  private static final long KEPT_WARNING_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final RedisDiscoverySettings settings;
  private final StringRedisTemplate redis;
  private final RedisConnectionFactory connectionFactory;
  private final KeyspaceEventsConfigurer keyspaceEvents;
  private final DiscoveryContext nodes;
  private final RegistrationCodec codec;
  private final ScheduledExecutorService thread;
  private final boolean callsOverTls;
  private final RegistrationReader reader;
  private final long ttlNanos;
  private final int maxNodesPerName;
  // Owned by the watcher thread.
  private final Map<NodeId, NodeRegistration> known = new HashMap<>();
  private final Set<NodeId> missing = new HashSet<>();
  /**
   * When each node kept because its connection answered although Redis lost its registration was last warned
   * about (System.nanoTime); a node leaves it when it leaves the view.
   */
  private final Map<NodeId, Long> keptDespiteRedis = new HashMap<>();
  /**
   * Known nodes whose key names another process while the connected one still answers (two processes under one
   * identity, or an overwrite), with when to look again (System.nanoTime): callers keep the connected process.
   */
  private final Map<NodeId, Long> contested = new HashMap<>();
  /** A Redis writer can flip a key back and forth: one ERROR a minute about contested keys, whatever it does. */
  private final RateLimitedLog contestedReport = new RateLimitedLog(log, Level.ERROR, 1, TimeUnit.MINUTES);
  private final JunkReport junk = new JunkReport(log);
  /** When a key ignored past the cap last made the watcher list the keys (System.nanoTime), or 0. */
  private long lastCapCount;
  /** Per name, values read since its last listing under keys the watcher does not follow that were unusable. */
  private final Map<String, Integer> unusableSinceListing = new HashMap<>();
  /** Wait before the next listing after a failed one that followed a subscription. */
  private long resyncRetryMillis = RETRY_MILLIS;
  private boolean reportedUnreachable;
  private boolean reportedClusterWithoutLettuce;
  private boolean reportedListingFailure;
  // Shared with the subscription thread.
  /**
   * When each known registration expires unless refreshed (System.nanoTime), by key. Written by the watcher thread
   * on every read and by the subscription thread on every refresh notification ({@code expire}).
   */
  private final Map<String, Long> deadlines = new ConcurrentHashMap<>();
  /** Notifications not applied yet, in arrival order, at most {@link #MAX_PENDING}; drained by the watcher thread. */
  private final Queue<Notification> pending = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pendingCount = new AtomicInteger();
  /** Whether notifications were dropped (queue full) since the last full resync. */
  private final AtomicBoolean overflowed = new AtomicBoolean();
  private final AtomicBoolean drainQueued = new AtomicBoolean();
  private final AtomicBoolean fullResyncQueued = new AtomicBoolean();
  /**
   * The watched names with more keys than the watcher follows, with their number of keys at the last listing
   * ({@link #UNCOUNTED} before one). Written by the watcher thread, read by health checks.
   */
  private final Map<String, Long> capped = new ConcurrentHashMap<>();
  private volatile KeyspaceSubscription subscription;
  private volatile boolean synced;
  private volatile boolean closed;

  /**
   * @param thread       the single thread all reads and view changes run on
   * @param callsOverTls whether this node calls others over TLS, to name a mismatch with a registration
   */
  public KeyspaceNodeWatcher(RedisDiscoverySettings settings, StringRedisTemplate redis,
      RedisConnectionFactory connectionFactory, KeyspaceEventsConfigurer keyspaceEvents, DiscoveryContext nodes,
      JsonMapper json, ScheduledExecutorService thread, boolean callsOverTls) {
    this.callsOverTls = callsOverTls;
    this.settings = settings;
    this.redis = redis;
    this.connectionFactory = connectionFactory;
    this.keyspaceEvents = keyspaceEvents;
    this.nodes = nodes;
    this.codec = new RegistrationCodec(json, nodes.registrationSignatures());
    this.thread = thread;
    this.ttlNanos = settings.ttl().toNanos();
    this.maxNodesPerName = settings.maxNodesPerName();
    this.reader = new RegistrationReader(redis, settings.commandTimeout());
  }

  /** Subscribes (in the background, retrying while Redis is away) and schedules the periodic checks. */
  public void start() {
    thread.execute(this::subscribe);
    long resync = settings.resyncInterval().toMillis();
    thread.scheduleWithFixedDelay(guarded(() -> resync(false)), resync, resync, TimeUnit.MILLISECONDS);
    thread.scheduleWithFixedDelay(guarded(this::checkNotifications), NOTIFICATION_CHECK_MILLIS,
        NOTIFICATION_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    thread.scheduleWithFixedDelay(guarded(this::sweep), SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** {@code task}, logging instead of throwing: a periodic task that throws is never run again. */
  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("Redis discovery task failed; it runs again on schedule", e);
      }
    };
  }

  /**
   * Reads the registrations whose deadline passed without a refresh notification. Redis reports an expired key
   * only once it finds it, walking the keys with a TTL a few hundred a second, so among many keys its
   * {@code expired} notification can come long after the TTL; reading the key expires it at once. Costs one
   * comparison per known node, and a read only for a node that missed its refresh.
   */
  private void sweep() {
    long now = System.nanoTime();
    List<String> overdue = new ArrayList<>();
    deadlines.forEach((key, deadline) -> {
      if (now - deadline > 0) {
        overdue.add(key);
      }
    });
    contested.forEach((id, due) -> {
      if (now - due > 0) {
        overdue.add(settings.key(id));
      }
    });
    for (int from = 0; from < overdue.size() && System.nanoTime() - now < SWEEP_BUDGET_NANOS; from += BATCH) {
      for (RegistrationReader.Read read : reader.readAll(overdue.subList(from, Math.min(from + BATCH,
          overdue.size())))) {
        if (read.failure() != null) {
          // Redis, or the master holding this key, is away: this key waits, the others are read.
          log.debug("Cannot read overdue registration {}: {}", read.key(), read.failure().getMessage());
          long retry = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS);
          deadlines.computeIfPresent(read.key(), (ignored, deadline) -> retry);
        } else {
          apply(read.key(), "expired", read.registration());
        }
      }
    }
  }

  /**
   * Starts the subscription. Once started, it re-subscribes by itself after connection losses and failovers;
   * only a first start while Redis is unreachable fails, and is retried with a new subscription.
   */
  private void subscribe() {
    if (closed) {
      return;
    }
    KeyspaceSubscription attempt = KeyspaceSubscription.to(connectionFactory,
        settings.watch().stream().map(settings::channelPattern).toList(), new Listener());
    try {
      attempt.start();
      subscription = attempt;
    } catch (RuntimeException e) {
      attempt.close();
      if (!reportedUnreachable) {
        reportedUnreachable = true;
        log.warn("Redis unreachable, cannot watch {} yet ({}); retrying every {} ms", settings.watch(),
            e.getMessage(), RETRY_MILLIS);
      }
      thread.schedule(this::subscribe, RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** Whether the subscription stands, the view was reconciled since, and notifications are on. */
  public boolean isSynced() {
    KeyspaceSubscription current = subscription;
    return synced && current != null && current.isListening();
  }

  /** Where the subscription stands on a Redis Cluster (e.g. {@code 3 of 3 masters}), else {@code null}. */
  public String coverage() {
    KeyspaceSubscription current = subscription;
    return current == null ? null : current.coverage();
  }

  /** Whether Redis publishes the notifications discovery needs; {@code null} before the first check. */
  public Boolean notificationsEnabled() {
    return keyspaceEvents.isEnabled();
  }

  /**
   * The watched names with more registration keys than the watcher follows, e.g.
   * {@code game (1,024 of 20,000 keys)}, or {@code null} when none is capped.
   */
  public String capped() {
    if (capped.isEmpty()) {
      return null;
    }
    List<String> names = new ArrayList<>();
    new TreeMap<>(capped).forEach((name, keys) -> names.add(String.format(Locale.ROOT, "%s (%,d of %s keys)", name,
        maxNodesPerName, keys == UNCOUNTED ? String.format(Locale.ROOT, "more than %,d", maxNodesPerName)
            : String.format(Locale.ROOT, "%,d", keys))));
    return String.join("; ", names);
  }

  @Override
  public void close() {
    closed = true;
    try {
      thread.submit(() -> {
        if (subscription != null) {
          subscription.close();
        }
      }).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("Closing the keyspace subscription failed", e);
    }
  }

  private void checkNotifications() {
    if (closed) {
      return;
    }
    try {
      keyspaceEvents.ensureEnabled();
    } catch (RuntimeException e) {
      log.debug("Cannot check notify-keyspace-events: {}", e.getMessage());
    }
  }

  /**
   * Lists every registration; a full resync also re-reads the keys it knows, to catch missed restarts. Of the keys
   * it does not know, it reads only as many as the cap leaves room for, and counts the rest. Returns whether it
   * could list them.
   */
  private boolean resync(boolean full) {
    try {
      Set<NodeId> listed = new HashSet<>();
      List<String> toRead = new ArrayList<>();
      boolean complete = true;
      for (String name : settings.watch()) {
        long[] keys = {0};
        // a listing starts the count of unusable values afresh: those it reads begin the next one
        unusableSinceListing.remove(name);
        int[] room = {roomFor(name)};
        complete &= forEachKey(settings.keyPattern(name), key -> {
          NodeId id = parse(key, name);
          if (id == null) {
            return;
          }
          keys[0]++;
          if (known.containsKey(id)) {
            listed.add(id);
            if (full) {
              toRead.add(key);
            }
          } else if (room[0] > 0) {
            room[0]--;
            toRead.add(key);
          }
        });
        counted(name, keys[0]);
      }
      readAndApply(toRead, "listed");
      if (complete) {
        for (NodeId id : Set.copyOf(known.keySet())) {
          if (!listed.contains(id) && missing.add(id)) {
            thread.schedule(() -> confirmGone(id), settings.grace().toMillis(), TimeUnit.MILLISECONDS);
          }
        }
      }
      synced = true;
      reportedListingFailure = false;
      return true;
    } catch (DataAccessException e) {
      synced = false;
      if (!reportedListingFailure) {
        reportedListingFailure = true;
        log.warn("Cannot list registrations in Redis: {}; the view is kept and resynced when Redis answers",
            e.getMessage());
      } else {
        log.debug("Cannot list registrations in Redis: {}", e.getMessage());
      }
      return false;
    }
  }

  /**
   * Hands every key matching {@code pattern} to {@code action}: a SCAN of the server, or of every master of a
   * Redis Cluster that serves slots. Returns {@code false} when such a master could not be listed.
   */
  private boolean forEachKey(String pattern, Consumer<String> action) {
    ScanOptions options = ScanOptions.scanOptions().match(pattern).count(100).build();
    return Boolean.TRUE.equals(redis.execute((RedisCallback<Boolean>) connection -> {
      if (!(connection instanceof RedisClusterConnection cluster)) {
        scan(connection.keyCommands().scan(options), action);
        return true;
      }
      if (subscription instanceof ContainerKeyspaceSubscription && !reportedClusterWithoutLettuce) {
        reportedClusterWithoutLettuce = true;
        log.error("Redis Cluster through a client other than Lettuce: frpc discovery hears the keyspace "
            + "notifications of one master only: nodes whose keys live on the others are found only by the "
            + "periodic resync (frpc.discovery.redis.resync-interval); use Lettuce, the client of "
            + "spring-boot-starter-data-redis");
      }
      boolean complete = true;
      for (RedisClusterNode node : cluster.clusterGetNodes()) {
        // A master without slots holds no keys (a crashed one whose replica took over included).
        if (!node.isMaster() || node.getSlotRange().getSlots().isEmpty()) {
          continue;
        }
        if (node.isMarkedAsFail()) {
          complete = false;
          continue;
        }
        try {
          scan(cluster.scan(node, options), action);
        } catch (RuntimeException e) {
          // Down, but not flagged yet: the others are listed, this one on a later resync.
          log.debug("Cannot list registrations on Redis node {}: {}", node.asString(), e.getMessage());
          complete = false;
        }
      }
      return complete;
    }));
  }

  private static void scan(Cursor<byte[]> keys, Consumer<String> action) {
    try (keys) {
      while (keys.hasNext()) {
        action.accept(new String(keys.next(), StandardCharsets.UTF_8));
      }
    }
  }

  /** A node missing from a listing is reconciled once the TTL and a refresh have passed. */
  private void confirmGone(NodeId id) {
    if (missing.remove(id)) {
      reconcile(settings.key(id), "expired");
    }
  }

  /**
   * Applies the notifications received so far, a batch at a time: the keys are read together, each once however
   * many events it had (what Redis holds now is what counts; the last event gives the reason of a removal).
   */
  private void drain() {
    drainQueued.set(false);
    Map<String, String> batch = new LinkedHashMap<>();
    Notification notification;
    while (batch.size() < BATCH && (notification = pending.poll()) != null) {
      pendingCount.decrementAndGet();
      batch.put(notification.key(), notification.event());
    }
    if (!pending.isEmpty() && drainQueued.compareAndSet(false, true)) {
      thread.execute(this::drain);
    }
    List<String> keys = new ArrayList<>();
    Map<String, Integer> room = new HashMap<>();
    for (String key : batch.keySet()) {
      String name = nameOf(key);
      NodeId id = name == null ? null : parse(key, name);
      if (id == null) {
        continue;
      }
      if (!known.containsKey(id)) {
        int left = room.computeIfAbsent(name, this::roomFor);
        if (left <= 0) {
          ignoredPastCap(name);
          continue;
        }
        room.put(name, left - 1);
      }
      keys.add(key);
    }
    int failed = 0;
    RegistrationReader.Read firstFailure = null;
    for (RegistrationReader.Read read : reader.readAll(keys)) {
      if (read.failure() == null) {
        apply(read.key(), batch.get(read.key()), read.registration());
      } else if (failed++ == 0) {
        firstFailure = read;
      }
    }
    if (firstFailure != null) {
      // the periodic resync and the deadlines catch up with what these notifications said
      log.warn("Cannot read {} registration(s) after their notifications, e.g. {}: {}", failed, firstFailure.key(),
          firstFailure.failure().getMessage());
    }
  }

  /** Reads {@code keys} together, a batch at a time, and applies what each holds; {@code event} says why. */
  private void readAndApply(List<String> keys, String event) {
    for (int from = 0; from < keys.size(); from += BATCH) {
      for (RegistrationReader.Read read : reader.readAll(keys.subList(from, Math.min(from + BATCH, keys.size())))) {
        if (read.failure() != null) {
          throw read.failure();
        }
        apply(read.key(), event, read.registration());
      }
    }
  }

  /** Reads the key and brings the view in line with it; {@code event} says why, for the reason of a removal. */
  private void reconcile(String key, String event) {
    RegistrationReader.Registration registration;
    try {
      registration = reader.read(key);
    } catch (DataAccessException e) {
      log.warn("Cannot read registration {}: {}", key, e.getMessage());
      return;
    }
    apply(key, event, registration);
  }

  /** Brings the view in line with what Redis holds under {@code key}, a valid registration key. */
  private void apply(String key, String event, RegistrationReader.Registration read) {
    NodeId id = parse(key, nameOf(key));
    if (read.value() == null && read.unreadable() == null) {
      deadlines.remove(key);
      vanished(id, "del".equals(event) ? NodeDownReason.DEREGISTERED : NodeDownReason.EXPIRED);
      return;
    }
    NodeRegistration registration = read.unreadable() != null ? unreadable(key, read.unreadable())
        : validate(key, id, read.value(), read.ttlMillis());
    if (registration == null) {
      if (!known.containsKey(id)) {
        deadlines.remove(key);
        unusableSinceListing.merge(id.name(), 1, Integer::sum);
        return;
      }
      // A known node's key holds something unusable (a foreign write, a process of another protocol version
      // under its id): the node stays while its connection answers, checked once a TTL like a missing key.
      deadlines.put(key, System.nanoTime() + ttlNanos);
      if ("expired".equals(event)) {
        vanished(id, NodeDownReason.EXPIRED);
      }
      return;
    }
    deadlines.put(key, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(read.ttlMillis(), 0)));
    missing.remove(id);
    NodeRegistration previous = known.get(id);
    if (previous != null && !previous.bootId().equals(registration.bootId())) {
      nodes.probe(id, PROBE_TIMEOUT).whenComplete((alive, error) -> {
        if (!closed) {
          thread.execute(() -> afterBootChange(id, previous, registration, Boolean.TRUE.equals(alive)));
        }
      });
      return;
    }
    follow(id, previous, registration);
  }

  /** Takes {@code registration} as where node {@code id} is from now on. */
  private void follow(NodeId id, NodeRegistration previous, NodeRegistration registration) {
    contested.remove(id);
    known.put(id, registration);
    if (registration.tls() != callsOverTls && (previous == null || previous.tls() != registration.tls())) {
      log.warn("Node {} registered a {} listener, but this node calls {}: connections to it will fail; {}", id,
          registration.tls() ? "TLS" : "plain", callsOverTls ? "over TLS" : "without TLS", registration.tls()
              ? "set frpc.client.ssl.bundle" : "remove frpc.client.ssl.bundle or give that node frpc.server.ssl.bundle");
    }
    nodes.nodeAvailable(id, registration.host(), registration.port());
  }

  /**
   * The key of known node {@code id} names another process than the one this node follows: a restart when the
   * followed process no longer answers its connection; while it does, it is kept (two processes under one
   * identity, or an overwrite by a Redis writer), and the key is looked at again once a TTL.
   */
  private void afterBootChange(NodeId id, NodeRegistration previous, NodeRegistration replacing, boolean alive) {
    if (known.get(id) != previous) {
      return;
    }
    if (alive) {
      if (contested.put(id, System.nanoTime() + ttlNanos) == null) {
        contestedReport.log("The registration of node " + id + " names another process (" + UntrustedText.escape(
            "boot id " + replacing.bootId() + " at " + replacing.host() + ":" + replacing.port()) + ") while the one "
            + "this node is connected to (boot id " + previous.bootId() + ") answers: keeping the connected one. Two "
            + "processes run under one identity (give each its own frpc.node.id), or the key was overwritten");
      }
      return;
    }
    log.info("Node {} restarted (boot id {} -> {})", id, previous.bootId(), replacing.bootId());
    nodes.nodeUnavailable(id, NodeDownReason.RESTARTED);
    follow(id, previous, replacing);
  }

  /** Reports a key whose value was not read ({@code problem}); never a registration. */
  private NodeRegistration unreadable(String key, String problem) {
    junk.report(key, problem);
    return null;
  }

  /**
   * The registration of {@code id} in {@code value}, or {@code null} (reported) when it is not one this node can
   * use: junk, unsigned or wrongly signed where this node has a secret for the name, of another protocol version.
   */
  private NodeRegistration validate(String key, NodeId id, String value, long ttlMillis) {
    if (ttlMillis == -1) {
      junk.report(key, "has no TTL, so it would keep an address known forever");
      return null;
    }
    RegistrationCodec.Decoded decoded = codec.decode(id, value);
    String problem = decoded.problem();
    if (problem == null && decoded.registration().protocolVersion() != FrameType.PROTOCOL_VERSION) {
      problem = "is unusable: speaks protocol version " + decoded.registration().protocolVersion() + ", this node "
          + FrameType.PROTOCOL_VERSION;
    }
    if (problem != null) {
      junk.report(key, problem);
      return null;
    }
    return decoded.registration();
  }

  /**
   * The registration of a known node is gone: deleted or expired. Its connection is asked for a heartbeat first,
   * and only a node that does not answer is removed. A node shutting down gracefully announces it on its
   * connection before it deletes its key, so it has no usable connection by then and leaves at once
   * ({@code DEREGISTERED}); a key deleted by anyone else does not take a live node away.
   */
  private void vanished(NodeId id, NodeDownReason reason) {
    missing.remove(id);
    if (!known.containsKey(id)) {
      return;
    }
    nodes.probe(id, PROBE_TIMEOUT).whenComplete((alive, error) -> {
      if (!closed) {
        thread.execute(() -> afterProbe(id, Boolean.TRUE.equals(alive), reason));
      }
    });
  }

  /** Keeps a node whose connection answered; removes one that did not, unless it registered again meanwhile. */
  private void afterProbe(NodeId id, boolean alive, NodeDownReason reason) {
    if (!known.containsKey(id)) {
      return;
    }
    if (alive) {
      long now = System.nanoTime();
      Long warned = keptDespiteRedis.get(id);
      if (warned == null || now - warned > KEPT_WARNING_NANOS) {
        keptDespiteRedis.put(id, now);
        log.warn("Registration of node {} vanished from Redis, but its connection answers: keeping it (a Redis "
            + "stall, or the key was deleted, lost or overwritten); it registers again on its next refresh", id);
      }
      if (missing.add(id)) {
        thread.schedule(() -> confirmGone(id), settings.grace().toMillis(), TimeUnit.MILLISECONDS);
      }
      return;
    }
    confirmRemoval(id, reason);
  }

  /** Removes {@code id} unless a registration reappeared while its connection was being probed. */
  private void confirmRemoval(NodeId id, NodeDownReason reason) {
    try {
      String key = settings.key(id);
      RegistrationReader.Registration read = reader.read(key);
      if (read.value() != null && validate(key, id, read.value(), read.ttlMillis()) != null) {
        return;
      }
    } catch (DataAccessException e) {
      log.debug("Cannot re-read the registration of {}: {}", id, e.getMessage());
    }
    remove(id, reason);
  }

  private void remove(NodeId id, NodeDownReason reason) {
    missing.remove(id);
    keptDespiteRedis.remove(id);
    contested.remove(id);
    deadlines.remove(settings.key(id));
    if (known.remove(id) != null) {
      log.info("Node {} left Redis discovery: {}", id, reason);
      nodes.nodeUnavailable(id, reason);
    }
  }

  /** How many registrations of {@code name} the watcher follows. */
  private int followed(String name) {
    int followed = 0;
    for (NodeId id : known.keySet()) {
      if (id.name().equals(name)) {
        followed++;
      }
    }
    return followed;
  }

  /**
   * How many more keys of {@code name} it does not follow the watcher may read before the next listing: as many
   * as the cap leaves room for, less the unusable values read since the last listing (fake keys count like nodes).
   */
  private int roomFor(String name) {
    return maxNodesPerName - followed(name) - unusableSinceListing.getOrDefault(name, 0);
  }

  /**
   * A notification of a key of {@code name} was not read: the watcher follows as many as it may. The first such key
   * makes it list the keys soon, to count them for health (at most one listing every 5 s).
   */
  private void ignoredPastCap(String name) {
    if (capped.putIfAbsent(name, UNCOUNTED) == null) {
      warnCapped(name);
    }
    long now = System.nanoTime();
    if (capped.get(name) == UNCOUNTED && (lastCapCount == 0 || now - lastCapCount > CAP_COUNT_NANOS)) {
      lastCapCount = now;
      thread.execute(guarded(() -> resync(false)));
    }
  }

  /** A listing found {@code keys} registration keys of {@code name}. */
  private void counted(String name, long keys) {
    if (keys <= maxNodesPerName) {
      if (capped.remove(name) != null) {
        log.info("Redis holds {} registration key(s) of {}: following them all again", keys, name);
      }
      return;
    }
    if (capped.put(name, keys) == null) {
      warnCapped(name);
    }
  }

  private void warnCapped(String name) {
    log.warn("Redis holds more registration keys of {} than frpc.discovery.redis.max-nodes-per-name ({}): following "
        + "at most that many, the others are neither read nor connected to (anyone who can write to Redis can add "
        + "keys; raise the setting if the cluster has more nodes of that name)", name, maxNodesPerName);
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

  /**
   * The node id of {@code prefix:rpc:name:id}, a non-negative id in canonical decimal form, or {@code null}
   * (reported). The name is a watched one, so it follows the rule of node names.
   */
  private NodeId parse(String key, String name) {
    String id = key.substring(settings.keyPrefix().length() + ":rpc:".length() + name.length() + 1);
    try {
      int parsed = Integer.parseInt(id);
      if (parsed >= 0 && Integer.toString(parsed).equals(id)) {
        return new NodeId(name, parsed);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    junk.report(key, "does not end in a node id (a non-negative integer written in canonical decimal form)");
    return null;
  }

  /**
   * Receives notifications on a Redis client thread: moves a key's deadline on a refresh, hands everything else
   * to the watcher thread, in order.
   */
  private final class Listener implements KeyspaceSubscription.Listener {

    private final String channelPrefix = "__keyspace@" + settings.database() + "__:";

    @Override
    public void notification(String channel, String event) {
      if (!channel.startsWith(channelPrefix)) {
        return;
      }
      String key = channel.substring(channelPrefix.length());
      if ("expire".equals(event)) {
        // A refresh, the one event that comes every second per node: nothing changed but the deadline, moved
        // here without a hop to the watcher thread (and only for a key the watcher knows). One TTL from now: a node
        // configured to refresh less often than this TTL costs a read when each deadline passes, nothing more.
        long deadline = System.nanoTime() + ttlNanos;
        deadlines.computeIfPresent(key, (ignored, previous) -> deadline);
        return;
      }
      // Anything else: the watcher looks at what Redis holds now.
      if (pendingCount.incrementAndGet() > MAX_PENDING) {
        pendingCount.decrementAndGet();
        if (overflowed.compareAndSet(false, true)) {
          log.warn("More than {} keyspace notifications wait for the watcher: dropping them, and listing every "
              + "registration instead", MAX_PENDING);
          queueFullResync();
        }
        return;
      }
      pending.add(new Notification(key, event));
      if (drainQueued.compareAndSet(false, true)) {
        thread.execute(KeyspaceNodeWatcher.this::drain);
      }
    }

    @Override
    public void subscribed() {
      // Every subscription, the first and those after a reconnection or failover: notifications may have been
      // lost. One confirmation arrives per watched name (and per master); one full resync covers them all.
      queueFullResync();
    }

    @Override
    public void unsubscribed() {
      synced = false;
    }
  }

  /** A notification waiting for the watcher thread. */
  private record Notification(String key, String event) {
  }

  private void queueFullResync() {
    if (fullResyncQueued.compareAndSet(false, true)) {
      thread.execute(this::fullResync);
    }
  }

  /**
   * Turns notifications on where they are off and lists and reads every key, after a (re-)subscription or dropped
   * notifications; retried until Redis answers, waiting twice as long each time up to 8 s.
   */
  private void fullResync() {
    fullResyncQueued.set(false);
    if (closed) {
      return;
    }
    // notifications dropped before this point are covered by this listing
    overflowed.set(false);
    boolean listed;
    try {
      keyspaceEvents.ensureEnabled();
      listed = resync(true);
    } catch (RuntimeException e) {
      log.warn("Listing every registration failed", e);
      listed = false;
    }
    if (listed) {
      resyncRetryMillis = RETRY_MILLIS;
    } else if (fullResyncQueued.compareAndSet(false, true)) {
      thread.schedule(this::fullResync, resyncRetryMillis, TimeUnit.MILLISECONDS);
      resyncRetryMillis = Math.min(2 * resyncRetryMillis, MAX_RETRY_MILLIS);
    }
  }
}
