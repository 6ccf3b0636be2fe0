package io.frpc.discovery.redis;

import io.frpc.discovery.DiscoveryContext;
import io.frpc.discovery.redis.WatcherStateMachine.Action;
import io.frpc.discovery.redis.WatcherStateMachine.ConfirmRemoval;
import io.frpc.discovery.redis.WatcherStateMachine.ListKeys;
import io.frpc.discovery.redis.WatcherStateMachine.NodeAvailable;
import io.frpc.discovery.redis.WatcherStateMachine.NodeUnavailable;
import io.frpc.discovery.redis.WatcherStateMachine.Probe;
import io.frpc.discovery.redis.WatcherStateMachine.Read;
import io.frpc.internal.Backoff;
import io.frpc.time.FrpcClock;
import io.lettuce.core.cluster.RedisClusterClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Keeps the client's view of the watched node names in step with Redis: the driver of
 * {@link WatcherStateMachine}, which makes every decision. It subscribes to the keyspace notifications of the
 * registration keys first, then lists the keys (SCAN), so no node is missed at start-up; on every
 * (re-)subscription, e.g. after Redis comes back, it lists them again and reconciles.
 *
 * <p>Notifications are handed over in the order Redis sent them and applied one at a time on the watcher thread. An
 * event is a hint, not a fact: {@code set}, {@code del} and {@code expired} make the watcher read the key's current
 * value and TTL, so a reordered or coalesced sequence converges to what Redis holds. The {@code expire} of a
 * refresh needs no read: it moves the key's deadline (TTL from now), and a known key past its deadline is read,
 * which makes Redis expire it at once (its own {@code expired} notification can come many seconds late among many
 * keys with a TTL). What the machine asks for (read keys, probe a connection, tell the node) this class does, and
 * hands the outcome back on the watcher thread. Time and timers come from the node's clock.
 */
final class KeyspaceNodeWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KeyspaceNodeWatcher.class);
  /** Waits before subscribing again while Redis is unreachable at start-up. */
  private static final Backoff SUBSCRIBE_RETRY = Backoff.fixed(Duration.ofMillis(500));
  /** Waits before listing again after a failed listing that followed a subscription: doubling, up to 8 s. */
  private static final Backoff RESYNC_RETRY = Backoff.exponential(Duration.ofMillis(500), Duration.ofSeconds(8));
  /** How long one sweep may spend reading, so a slow server cannot hold up the watcher thread for long. */
  private static final long SWEEP_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  /** How often the keyspace-notification setting is checked (and restored where allowed). */
  private static final Duration NOTIFICATION_CHECK = Duration.ofSeconds(5);
  /**
   * Echoes in a row that must fail to come back within {@link #NOTIFICATION_CHECK} before the subscription is taken
   * for dead and replaced (a connection that died without a word, a proxy or balancer that dropped it, a server
   * that forgot it): one could be lost to a reconnection.
   */
  private static final int ECHOES_MISSED_BEFORE_RESUBSCRIBING = 2;
  /** How often registrations past their deadline are looked for (see {@link #sweep()}). */
  private static final Duration SWEEP = Duration.ofMillis(100);
  /** How many keys are read together at most (a burst of notifications, a listing, overdue keys). */
  private static final int BATCH = 256;
  /**
   * Notifications waiting for the watcher thread at most. Anyone who writes keys under the prefix makes them, so
   * past this they are dropped, and one full resync reads what Redis holds instead.
   */
  static final int MAX_PENDING = 10_000;

  private final RedisDiscoverySettings settings;
  private final StringRedisTemplate redis;
  private final RedisConnectionFactory connectionFactory;
  private final KeyspaceEventsConfigurer keyspaceEvents;
  private final DiscoveryContext nodes;
  private final FrpcClock clock;
  /** The watcher thread itself, for closing when the timers no longer run. */
  private final Executor executor;
  /** The watcher thread: every read, decision and timer of the view runs here, in order. */
  private final ClockedExecutor thread;
  private final RegistrationReader reader;
  private final WatcherStateMachine machine;
  // Owned by the watcher thread.
  private final RandomGenerator random = new SplittableRandom();
  /** Failed listings in a row since the last subscription. */
  private int resyncFailures;
  private boolean reportedUnreachable;
  private boolean reportedClusterWithoutLettuce;
  private boolean reportedListingFailure;
  private boolean reportedEchoRefused;
  /** The subscription's own channel, which the watcher publishes to every {@link #NOTIFICATION_CHECK}. */
  private final String echoChannel = "frpc:discovery:echo:" + UUID.randomUUID();
  /** The last echo published and not seen back yet, or 0. */
  private long echoAwaited;
  private long echoesSent;
  private int echoesMissed;
  // Shared with the subscription thread.
  /** The last echo the subscription delivered. */
  private final AtomicLong echoReceived = new AtomicLong();
  // Shared with the subscription thread.
  /** Notifications not applied yet, in arrival order, at most {@link #MAX_PENDING}; drained by the watcher thread. */
  private final Queue<Notification> pending = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pendingCount = new AtomicInteger();
  /** Whether notifications were dropped (queue full) since the last full resync. */
  private final AtomicBoolean overflowed = new AtomicBoolean();
  private final AtomicBoolean drainQueued = new AtomicBoolean();
  private final AtomicBoolean fullResyncQueued = new AtomicBoolean();
  private volatile KeyspaceSubscription subscription;
  private volatile boolean synced;
  private volatile boolean closed;

  /**
   * @param nodes        what the watcher reports to; its clock paces the watcher
   * @param codec        reads registrations, checking signatures where this node has a secret
   * @param thread       the single thread all reads and view changes run on
   * @param callsOverTls whether this node calls others over TLS, to name a mismatch with a registration
   */
  KeyspaceNodeWatcher(RedisDiscoverySettings settings, StringRedisTemplate redis,
      RedisConnectionFactory connectionFactory, KeyspaceEventsConfigurer keyspaceEvents, DiscoveryContext nodes,
      RegistrationCodec codec, Executor thread, boolean callsOverTls) {
    this.settings = settings;
    this.redis = redis;
    this.connectionFactory = connectionFactory;
    this.keyspaceEvents = keyspaceEvents;
    this.nodes = nodes;
    this.clock = nodes.clock();
    this.executor = thread;
    this.thread = new ClockedExecutor(clock, thread);
    this.reader = new RegistrationReader(redis, settings.commandTimeout(), clock);
    this.machine = new WatcherStateMachine(settings, codec, callsOverTls, clock);
  }

  /** Subscribes (in the background, retrying while Redis is away) and schedules the periodic checks. */
  void start() {
    thread.execute(this::subscribe);
    thread.scheduleWithFixedDelay(guarded(() -> resync(false)), settings.resyncInterval());
    thread.scheduleWithFixedDelay(guarded(this::checkNotifications), NOTIFICATION_CHECK);
    thread.scheduleWithFixedDelay(guarded(this::sweep), SWEEP);
  }

  /** {@code task}, logging instead of throwing: a periodic task keeps its schedule. */
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
   * Reads the registrations whose time came ({@link WatcherStateMachine#overdue}). Redis reports an expired key
   * only once it finds it, walking the keys with a TTL a few hundred a second, so among many keys its
   * {@code expired} notification can come long after the TTL; reading the key expires it at once.
   */
  private void sweep() {
    long started = clock.nanoTime();
    List<Read> overdue = machine.overdue(started);
    for (int from = 0; from < overdue.size() && clock.nanoTime() - started < SWEEP_BUDGET_NANOS; from += BATCH) {
      List<Read> batch = overdue.subList(from, Math.min(from + BATCH, overdue.size()));
      List<RegistrationReader.Read> reads = reader.readAll(batch.stream().map(Read::key).toList());
      for (int i = 0; i < batch.size(); i++) {
        Read due = batch.get(i);
        RegistrationReader.Read read = reads.get(i);
        if (read.failure() == null) {
          execute(machine.read(due.key(), due.event(), read.registration(), clock.nanoTime()));
          continue;
        }
        // Redis, or the master holding this key, is away: this key waits, the others are read.
        if (due.event() == KeyEvent.MISSING) {
          log.warn("Cannot read registration {}: {}", due.key(), read.failure().getMessage());
        } else {
          log.debug("Cannot read overdue registration {}: {}", due.key(), read.failure().getMessage());
        }
        machine.readFailed(due.key(), due.event(), clock.nanoTime());
      }
    }
  }

  /** Carries out what the state machine decided, in order. */
  private void execute(List<Action> actions) {
    for (Action action : actions) {
      if (action instanceof NodeAvailable available) {
        nodes.nodeAvailable(available.node(), available.host(), available.port());
      } else if (action instanceof NodeUnavailable unavailable) {
        nodes.nodeUnavailable(unavailable.node(), unavailable.reason());
      } else if (action instanceof Probe probe) {
        probe(probe);
      } else if (action instanceof ConfirmRemoval removal) {
        confirmRemoval(removal);
      } else if (action instanceof Read read) {
        reconcile(read.key(), read.event());
      } else if (action instanceof ListKeys) {
        thread.execute(guarded(() -> resync(false)));
      }
    }
  }

  /** Reads one key and brings the view in line with it; {@code event} says why. */
  private void reconcile(String key, KeyEvent event) {
    RegistrationReader.Registration registration;
    try {
      registration = reader.read(key);
    } catch (DataAccessException e) {
      log.warn("Cannot read registration {}: {}", key, e.getMessage());
      return;
    }
    execute(machine.read(key, event, registration, clock.nanoTime()));
  }

  /** Asks the node's connection for a heartbeat; the answer goes back to the machine on the watcher thread. */
  private void probe(Probe probe) {
    nodes.probe(probe.node(), WatcherStateMachine.PROBE_TIMEOUT).whenComplete((alive, error) -> {
      if (!closed) {
        thread.execute(() -> execute(machine.probed(probe, Boolean.TRUE.equals(alive), clock.nanoTime())));
      }
    });
  }

  /** Reads the key of a node about to be removed once more: it stays if it registered again meanwhile. */
  private void confirmRemoval(ConfirmRemoval removal) {
    RegistrationReader.Registration read;
    try {
      read = reader.read(settings.key(removal.node()));
    } catch (DataAccessException e) {
      log.debug("Cannot re-read the registration of {}: {}", removal.node(), e.getMessage());
      read = null;
    }
    execute(machine.removalChecked(removal.node(), removal.reason(), read, clock.nanoTime()));
  }

  /**
   * Starts the subscription. Once started, it re-subscribes by itself after connection losses and failovers;
   * only a first start while Redis is unreachable fails, and is retried with a new subscription.
   */
  private void subscribe() {
    if (closed) {
      return;
    }
    KeyspaceSubscription attempt = null;
    try {
      attempt = KeyspaceSubscription.to(connectionFactory,
          settings.watch().stream().map(settings::channelPattern).toList(), mayEcho() ? echoChannel : null,
          new Listener(), clock);
      attempt.start();
      subscription = attempt;
    } catch (RuntimeException e) {
      if (attempt != null) {
        attempt.close();
      }
      if (!reportedUnreachable) {
        reportedUnreachable = true;
        log.warn("Redis unreachable, cannot watch {} yet ({}); retrying every {} ms", settings.watch(),
            e.getMessage(), SUBSCRIBE_RETRY.initial().toMillis());
      }
      thread.schedule(this::subscribe, Duration.ofNanos(SUBSCRIBE_RETRY.delayNanos(1, random)));
    }
  }

  /**
   * Whether this node may publish on (and so, under a Redis ACL, subscribe to) its echo channel: a subscription
   * that includes a channel the ACL refuses is refused whole.
   *
   * @throws DataAccessException when Redis cannot be reached (the subscription cannot start either)
   */
  private boolean mayEcho() {
    try {
      redis.convertAndSend(echoChannel, "0");
      return true;
    } catch (DataAccessException e) {
      if (!RedisRefusal.isRefusal(e)) {
        throw e;
      }
      if (!reportedEchoRefused) {
        reportedEchoRefused = true;
        log.info("Redis refused PUBLISH on this watcher's echo channel ({}): its subscription is not checked for "
            + "silent loss; allow the channels frpc:discovery:echo:* to have it checked",
            e.getMostSpecificCause().getMessage());
      }
      return false;
    }
  }

  /** Whether the subscription stands, the view was reconciled since, and notifications are on. */
  boolean isSynced() {
    KeyspaceSubscription current = subscription;
    return synced && current != null && current.isListening();
  }

  /** Where the subscription stands on a Redis Cluster (e.g. {@code 3 of 3 masters}), else {@code null}. */
  String coverage() {
    KeyspaceSubscription current = subscription;
    return current == null ? null : current.coverage();
  }

  /** Whether Redis publishes the notifications discovery needs; {@code null} before the first check. */
  Boolean notificationsEnabled() {
    return keyspaceEvents.isEnabled();
  }

  /**
   * The watched names with more registration keys than the watcher follows, e.g.
   * {@code game (1,024 of 20,000 keys)}, or {@code null} when none is capped.
   */
  String capped() {
    return machine.capped();
  }

  @Override
  public void close() {
    closed = true;
    thread.close();
    try {
      CompletableFuture.runAsync(() -> {
        if (subscription != null) {
          subscription.close();
        }
      }, executor).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("Closing the keyspace subscription failed", e);
    }
  }

  private void checkNotifications() {
    if (closed) {
      return;
    }
    checkDelivery();
    try {
      if (keyspaceEvents.ensureEnabled()) {
        // Notifications were off (a restart, a failover, an operator): whatever changed meanwhile was not published.
        queueFullResync();
      }
    } catch (RuntimeException e) {
      log.debug("Cannot check notify-keyspace-events: {}", e.getMessage());
    }
  }

  /**
   * Publishes an echo to the subscription's own channel, and replaces a subscription that says it listens but did
   * not deliver the last {@link #ECHOES_MISSED_BEFORE_RESUBSCRIBING} echoes within a check period: a subscription
   * can die without its client noticing, and every notification after that would be lost until the periodic
   * resync.
   */
  private void checkDelivery() {
    KeyspaceSubscription current = subscription;
    if (current == null || !current.echoes() || !current.isListening()) {
      echoAwaited = 0;
      echoesMissed = 0;
      return;
    }
    if (echoAwaited != 0 && echoReceived.get() < echoAwaited) {
      if (++echoesMissed >= ECHOES_MISSED_BEFORE_RESUBSCRIBING) {
        log.warn("The Redis keyspace subscription stopped delivering ({} echoes in a row did not come back within "
            + "{} s): subscribing again", echoesMissed, NOTIFICATION_CHECK.toSeconds());
        resubscribe(current);
        return;
      }
    } else {
      echoesMissed = 0;
    }
    long echo = ++echoesSent;
    try {
      redis.convertAndSend(echoChannel, Long.toString(echo));
      echoAwaited = echo;
    } catch (DataAccessException e) {
      // Redis is away or refuses PUBLISH: the subscription's own recovery is what counts then
      log.debug("Cannot publish the subscription's echo: {}", e.getMessage());
      echoAwaited = 0;
    }
  }

  /** Closes a subscription that stopped delivering and starts a new one, which lists every key once it stands. */
  private void resubscribe(KeyspaceSubscription dead) {
    synced = false;
    subscription = null;
    echoAwaited = 0;
    echoesMissed = 0;
    dead.close();
    subscribe();
  }

  /**
   * Lists every registration and reads what the state machine's listing asks for; a full resync also re-reads the
   * keys it knows, to catch missed restarts. Returns whether it could list them.
   */
  private boolean resync(boolean full) {
    try {
      WatcherStateMachine.Listing listing = machine.listing(full);
      boolean complete = true;
      for (String name : settings.watch()) {
        listing.begin(name);
        complete &= forEachKey(settings.keyPattern(name), key -> listing.found(name, key, clock.nanoTime()));
        listing.end(name);
      }
      readAndApply(listing.toRead(), KeyEvent.LISTED);
      if (complete) {
        listing.completed(clock.nanoTime());
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

  /**
   * Applies the notifications received so far, a batch at a time: the keys the state machine asks for are read
   * together, each once however many events it had (what Redis holds now is what counts; the last event gives the
   * reason of a removal).
   */
  private void drain() {
    drainQueued.set(false);
    Map<String, KeyEvent> batch = new LinkedHashMap<>();
    Notification notification;
    while (batch.size() < BATCH && (notification = pending.poll()) != null) {
      pendingCount.decrementAndGet();
      batch.put(notification.key(), notification.event());
    }
    if (!pending.isEmpty() && drainQueued.compareAndSet(false, true)) {
      thread.execute(this::drain);
    }
    List<Action> decided = machine.notified(batch, clock.nanoTime());
    List<Read> toRead = new ArrayList<>(decided.size());
    List<Action> others = new ArrayList<>(1);
    for (Action action : decided) {
      if (action instanceof Read read) {
        toRead.add(read);
      } else {
        others.add(action);
      }
    }
    int failed = 0;
    RegistrationReader.Read firstFailure = null;
    List<RegistrationReader.Read> reads = reader.readAll(toRead.stream().map(Read::key).toList());
    for (int i = 0; i < reads.size(); i++) {
      RegistrationReader.Read read = reads.get(i);
      if (read.failure() == null) {
        execute(machine.read(read.key(), toRead.get(i).event(), read.registration(), clock.nanoTime()));
      } else if (failed++ == 0) {
        firstFailure = read;
      }
    }
    if (firstFailure != null) {
      // the periodic resync and the deadlines catch up with what these notifications said
      log.warn("Cannot read {} registration(s) after their notifications, e.g. {}: {}", failed, firstFailure.key(),
          firstFailure.failure().getMessage());
    }
    execute(others);
  }

  /** Reads {@code keys} together, a batch at a time, and applies what each holds; {@code event} says why. */
  private void readAndApply(List<String> keys, KeyEvent event) {
    for (int from = 0; from < keys.size(); from += BATCH) {
      for (RegistrationReader.Read read : reader.readAll(keys.subList(from, Math.min(from + BATCH, keys.size())))) {
        if (read.failure() != null) {
          throw read.failure();
        }
        execute(machine.read(read.key(), event, read.registration(), clock.nanoTime()));
      }
    }
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
      KeyEvent keyEvent = KeyEvent.ofNotification(event);
      if (keyEvent == KeyEvent.REFRESHED) {
        // A refresh, the one event that comes every second per node: nothing changed but the deadline, moved
        // here without a hop to the watcher thread.
        machine.refreshed(key, clock.nanoTime());
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
      pending.add(new Notification(key, keyEvent));
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

    @Override
    public void echoed(String message) {
      try {
        echoReceived.accumulateAndGet(Long.parseLong(message), Math::max);
      } catch (NumberFormatException e) {
        log.debug("Ignoring a foreign message on the subscription's echo channel");
      }
    }
  }

  /** A notification waiting for the watcher thread. */
  private record Notification(String key, KeyEvent event) {
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
  /**
   * On a Redis Cluster, reads the topology afresh before a full listing: the client's copy is refreshed every 10 s,
   * and a master that just took slots (a resharding, a promotion) would otherwise be listed as holding none — and a
   * key registered there before its notifications were turned on would stay unseen until the periodic resync.
   */
  private void refreshClusterTopology() {
    if (DiscoveryConnections.LETTUCE && connectionFactory instanceof LettuceConnectionFactory lettuce
        && lettuce.isClusterAware()
        && lettuce.getNativeClient() instanceof RedisClusterClient cluster) {
      try {
        cluster.refreshPartitions();
      } catch (RuntimeException e) {
        log.debug("Cannot refresh the Redis Cluster topology: {}", e.getMessage());
      }
    }
  }

  private void fullResync() {
    fullResyncQueued.set(false);
    if (closed) {
      return;
    }
    // notifications dropped before this point are covered by this listing
    overflowed.set(false);
    boolean listed;
    try {
      refreshClusterTopology();
      keyspaceEvents.ensureEnabled();
      listed = resync(true);
    } catch (RuntimeException e) {
      log.warn("Listing every registration failed", e);
      listed = false;
    }
    if (listed) {
      resyncFailures = 0;
    } else if (fullResyncQueued.compareAndSet(false, true)) {
      thread.schedule(this::fullResync, Duration.ofNanos(RESYNC_RETRY.delayNanos(++resyncFailures, random)));
    }
  }
}
