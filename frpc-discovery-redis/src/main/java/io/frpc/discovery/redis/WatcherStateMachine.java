package io.frpc.discovery.redis;

import io.frpc.NodeDownReason;
import io.frpc.NodeId;
import io.frpc.internal.RateLimitedLog;
import io.frpc.internal.UntrustedText;
import io.frpc.internal.protocol.FrameType;
import io.frpc.time.FrpcClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The decisions of the Redis watcher, with no Redis and no thread of its own: {@link KeyspaceNodeWatcher}
 * feeds it what happened to a registration key ({@link KeyEvent}), what the key holds and the time ({@code now},
 * monotonic nanoseconds), and carries out the {@link Action}s it answers with: tell the node a node is available or
 * unavailable, probe a node's connection, read keys.
 *
 * <p>The rules, in the order a key meets them:
 * <ul>
 *   <li><b>Which registration is live.</b> A key that holds a valid registration (well-formed, with a TTL, of this
 *   protocol version, signed where this node has a secret for the name) makes its node available; its deadline is
 *   the key's TTL from now.</li>
 *   <li><b>Expiry.</b> A refresh ({@link KeyEvent#REFRESHED}) moves the deadline one TTL from now and reads nothing;
 *   a key past its deadline is read ({@link KeyEvent#OVERDUE}), which makes Redis expire it at once.</li>
 *   <li><b>A vanished key is a dead node only if its connection does not answer.</b> A deleted or expired key of a
 *   known node makes the watcher probe the node's connection: an answer keeps the node (a Redis stall, a lost or
 *   deleted key; looked at again after a grace, {@link KeyEvent#MISSING}); silence removes it, after one more read
 *   of the key ({@link ConfirmRemoval}), as {@code DEREGISTERED} after a deletion, else {@code EXPIRED}.</li>
 *   <li><b>Contested identities.</b> A key that names another process (another boot id) than the one followed is a
 *   restart only if the followed process no longer answers; while it answers it is kept (two processes under one
 *   identity, or an overwrite: of two processes, the registrar of the one that started first takes the key back),
 *   with one ERROR a minute, and looked at again once a TTL.</li>
 *   <li><b>The cap per name.</b> At most {@code maxNodesPerName} registrations are followed per name; of the keys
 *   it does not follow the watcher reads only as many as the cap leaves room for (unusable values count), the
 *   rest are only counted by a listing, for health.</li>
 *   <li><b>Junk.</b> Keys that do not end in a node id and values that are not usable registrations are reported
 *   (bounded, escaped) and never connected to; a known node whose key holds junk stays while it answers.</li>
 * </ul>
 *
 * <p>Thread rules: {@link #refreshed} and {@link #capped()} may be called from any thread; everything else from
 * one thread at a time (the watcher's).
 */
final class WatcherStateMachine {

  /** The watcher's logger: these are its lines. */
  private static final Logger log = LoggerFactory.getLogger(KeyspaceNodeWatcher.class);
  /** How long a node whose registration vanished has to answer a heartbeat to be kept. */
  static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
  /** When an overdue key that could not be read is read again. */
  static final Duration READ_RETRY = Duration.ofMillis(500);
  /** A capped name whose keys were not counted by a listing yet. */
  private static final long UNCOUNTED = -1;
  /** How often at most a key ignored past the cap makes the watcher list the keys, to count them. */
  private static final long CAP_COUNT_NANOS = TimeUnit.SECONDS.toNanos(5);
  /** How often at most a node kept despite Redis is warned about. */
  private static final long KEPT_WARNING_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final long NEVER = Long.MIN_VALUE;

  /** What the watcher does for the state machine. */
  sealed interface Action {
  }

  /** Tell the node that {@code node} is reachable at {@code host:port}. */
  record NodeAvailable(NodeId node, String host, int port) implements Action {
  }

  /** Tell the node that {@code node} left. */
  record NodeUnavailable(NodeId node, NodeDownReason reason) implements Action {
  }

  /** Read {@code key} and hand what it holds to {@link #read}, with {@code event}. */
  record Read(String key, KeyEvent event) implements Action {
  }

  /**
   * Ask the connection to {@link #node()} for a heartbeat ({@link #PROBE_TIMEOUT}) and hand the answer to
   * {@link #probed}.
   */
  sealed interface Probe extends Action {
    NodeId node();
  }

  /** The key of a followed node vanished (or holds junk): is the node still there? */
  record ProbeVanished(NodeId node, NodeDownReason reason) implements Probe {
  }

  /** The key of a followed node names another process: is the followed one still there? */
  record ProbeReplaced(NodeId node, NodeRegistration followed, NodeRegistration replacing) implements Probe {
  }

  /** Read the key of {@code node} once more and hand it to {@link #removalChecked}: a last look before removing. */
  record ConfirmRemoval(NodeId node, NodeDownReason reason) implements Action {
  }

  /** List the keys (a resync that re-reads no known key), to count a name that is past its cap. */
  record ListKeys() implements Action {
  }

  private final RedisDiscoverySettings settings;
  private final RegistrationCodec codec;
  private final boolean callsOverTls;
  private final long ttlNanos;
  private final long graceNanos;
  private final int maxNodesPerName;
  private final JunkReport junk = new JunkReport(log);
  /** A Redis writer can flip a key back and forth: one ERROR a minute about contested keys, whatever it does. */
  private final RateLimitedLog contestedReport;
  // Owned by the watcher thread.
  /** The registration followed for each node: what the node was told. */
  private final Map<NodeId, NodeRegistration> known = new HashMap<>();
  /** Nodes kept while their key is missing, with when to look at the key again. */
  private final Map<NodeId, Long> missing = new HashMap<>();
  /** When each node kept although Redis lost its registration was last warned about; it leaves with the node. */
  private final Map<NodeId, Long> keptDespiteRedis = new HashMap<>();
  /**
   * Known nodes whose key names another process while the connected one still answers (two processes under one
   * identity, or an overwrite), with when to look again: callers keep the connected process.
   */
  private final Map<NodeId, Long> contested = new HashMap<>();
  /** Per name, values read since its last listing under keys the watcher does not follow that were unusable. */
  private final Map<String, Integer> unusableSinceListing = new HashMap<>();
  /** When a key ignored past the cap last made the watcher list the keys. */
  private long lastCapCount = NEVER;
  // Shared with other threads.
  /**
   * When each known registration expires unless refreshed, by key. Written by the watcher thread on every read and
   * by the subscription thread on every refresh notification.
   */
  private final Map<String, Long> deadlines = new ConcurrentHashMap<>();
  /**
   * The watched names with more keys than the watcher follows, with their number of keys at the last listing
   * ({@link #UNCOUNTED} before one). Written by the watcher thread, read by health checks.
   */
  private final Map<String, Long> capped = new ConcurrentHashMap<>();

  /**
   * @param codec        reads values, checking signatures where this node has a secret for the name
   * @param callsOverTls whether this node calls others over TLS, to name a mismatch with a registration
   * @param clock        paces the one report that is rate-limited across keys (contested identities); every
   *                     decision takes the time as {@code now}
   */
  WatcherStateMachine(RedisDiscoverySettings settings, RegistrationCodec codec, boolean callsOverTls,
      FrpcClock clock) {
    this.settings = settings;
    this.contestedReport = new RateLimitedLog(log, Level.ERROR, Duration.ofMinutes(1), clock);
    this.codec = codec;
    this.callsOverTls = callsOverTls;
    this.ttlNanos = settings.ttl().toNanos();
    this.graceNanos = settings.grace().toNanos();
    this.maxNodesPerName = settings.maxNodesPerName();
  }

  /** A refresh of {@code key}: its deadline moves one TTL from {@code now}. Any thread; nothing to read. */
  void refreshed(String key, long now) {
    // One TTL from now: a node configured to refresh less often than this TTL costs a read when each deadline
    // passes, nothing more. Only a key the watcher knows has a deadline.
    long deadline = now + ttlNanos;
    deadlines.computeIfPresent(key, (ignored, previous) -> deadline);
  }

  /**
   * Of the keys notifications named (each once, in arrival order, with its last event), those to read: the keys
   * of known nodes, and as many others as the cap leaves room for. A key past the cap is only counted: the first
   * makes the answer end with {@link ListKeys} (at most every 5 s, until a listing counted the name).
   */
  List<Action> notified(Map<String, KeyEvent> keys, long now) {
    List<Action> actions = new ArrayList<>(keys.size());
    Map<String, Integer> room = new HashMap<>();
    boolean count = false;
    for (Map.Entry<String, KeyEvent> notified : keys.entrySet()) {
      String key = notified.getKey();
      String name = nameOf(key);
      NodeId id = name == null ? null : parse(key, name, now);
      if (id == null) {
        continue;
      }
      if (!known.containsKey(id)) {
        int left = room.computeIfAbsent(name, this::roomFor);
        if (left <= 0) {
          count |= ignoredPastCap(name, now);
          continue;
        }
        room.put(name, left - 1);
      }
      actions.add(new Read(key, notified.getValue()));
    }
    if (count) {
      actions.add(new ListKeys());
    }
    return actions;
  }

  /**
   * The keys whose time came: past their deadline or due for another look as contested ({@link KeyEvent#OVERDUE}),
   * or missing for a grace while their node was kept ({@link KeyEvent#MISSING}). Costs one comparison per known
   * node; a key that was refreshed in time is never read.
   */
  List<Read> overdue(long now) {
    Map<String, KeyEvent> due = new LinkedHashMap<>();
    // a key both missing and overdue is read once, as missing (which also ends its wait)
    missing.forEach((id, at) -> {
      if (now - at >= 0) {
        due.put(settings.key(id), KeyEvent.MISSING);
      }
    });
    deadlines.forEach((key, deadline) -> {
      if (now - deadline > 0) {
        due.putIfAbsent(key, KeyEvent.OVERDUE);
      }
    });
    contested.forEach((id, at) -> {
      if (now - at > 0) {
        due.putIfAbsent(settings.key(id), KeyEvent.OVERDUE);
      }
    });
    List<Read> reads = new ArrayList<>(due.size());
    due.forEach((key, event) -> reads.add(new Read(key, event)));
    return reads;
  }

  /** A {@link Read} of an overdue or missing key failed (Redis, or the master of the key, is away). */
  void readFailed(String key, KeyEvent event, long now) {
    if (event == KeyEvent.MISSING) {
      // looked at again when a listing misses it, or its node's connection fails
      missing.remove(idOf(key));
      return;
    }
    long retry = now + READ_RETRY.toNanos();
    deadlines.computeIfPresent(key, (ignored, deadline) -> retry);
  }

  /**
   * Brings the view in line with what Redis holds under {@code key}, read because of {@code event}.
   *
   * @param read what the key holds: a value and TTL, nothing, or why its value was not read
   */
  List<Action> read(String key, KeyEvent event, RegistrationReader.Registration read, long now) {
    NodeId id = idOf(key);
    if (id == null || event == KeyEvent.MISSING && missing.remove(id) == null) {
      return List.of();
    }
    if (read.value() == null && read.unreadable() == null) {
      deadlines.remove(key);
      return vanished(id, event == KeyEvent.DELETED ? NodeDownReason.DEREGISTERED : NodeDownReason.EXPIRED);
    }
    NodeRegistration registration = read.unreadable() != null ? unreadable(key, read.unreadable(), now)
        : validate(key, id, read.value(), read.ttlMillis(), now);
    if (registration == null) {
      if (!known.containsKey(id)) {
        deadlines.remove(key);
        unusableSinceListing.merge(id.name(), 1, Integer::sum);
        return List.of();
      }
      // A known node's key holds something unusable (a foreign write, a process of another protocol version
      // under its id): the node stays while its connection answers, checked once a TTL like a missing key.
      deadlines.put(key, now + ttlNanos);
      return event.timedOut() ? vanished(id, NodeDownReason.EXPIRED) : List.of();
    }
    deadlines.put(key, now + TimeUnit.MILLISECONDS.toNanos(Math.max(read.ttlMillis(), 0)));
    missing.remove(id);
    NodeRegistration previous = known.get(id);
    if (previous != null && !previous.bootId().equals(registration.bootId())) {
      return List.of(new ProbeReplaced(id, previous, registration));
    }
    return follow(id, previous, registration);
  }

  /** The answer to a {@link Probe}: whether the node's connection answered in time. */
  List<Action> probed(Probe probe, boolean alive, long now) {
    if (probe instanceof ProbeReplaced replaced) {
      return afterReplaced(replaced.node(), replaced.followed(), replaced.replacing(), alive, now);
    }
    ProbeVanished vanished = (ProbeVanished) probe;
    return afterVanished(vanished.node(), vanished.reason(), alive, now);
  }

  /**
   * The last look before removing a node whose connection did not answer: it stays if a usable registration
   * reappeared meanwhile.
   *
   * @param read what its key holds, or {@code null} when it could not be read
   */
  List<Action> removalChecked(NodeId id, NodeDownReason reason, RegistrationReader.Registration read, long now) {
    String key = settings.key(id);
    if (read != null && read.value() != null && validate(key, id, read.value(), read.ttlMillis(), now) != null) {
      return List.of();
    }
    return remove(id, reason);
  }

  /** A listing of every key of the watched names, one name after the other. */
  Listing listing(boolean full) {
    return new Listing(full);
  }

  /** The nodes the watcher follows, for tests. */
  Set<NodeId> followed() {
    return Set.copyOf(known.keySet());
  }

  /**
   * The watched names with more registration keys than the watcher follows, e.g.
   * {@code game (1,024 of 20,000 keys)}, or {@code null} when none is capped. Any thread.
   */
  String capped() {
    if (capped.isEmpty()) {
      return null;
    }
    List<String> names = new ArrayList<>();
    new TreeMap<>(capped).forEach((name, keys) -> names.add(String.format(Locale.ROOT, "%s (%,d of %s keys)", name,
        maxNodesPerName, keys == UNCOUNTED ? String.format(Locale.ROOT, "more than %,d", maxNodesPerName)
            : String.format(Locale.ROOT, "%,d", keys))));
    return String.join("; ", names);
  }

  /**
   * Every key of the watched names, as a SCAN hands them over: {@link #begin} a name, {@link #found} each key,
   * {@link #end} the name; then read {@link #toRead()} (with {@link KeyEvent#LISTED}) and, when every server was
   * listed, {@link #completed}. A full listing re-reads the keys of known nodes too, to catch missed restarts;
   * of the others it reads only as many as the cap leaves room for, and counts the rest.
   */
  final class Listing {

    private final boolean full;
    private final Set<NodeId> listed = new HashSet<>();
    private final List<String> toRead = new ArrayList<>();
    private long keys;
    private int room;

    private Listing(boolean full) {
      this.full = full;
    }

    void begin(String name) {
      keys = 0;
      // a listing starts the count of unusable values afresh: those it reads begin the next one
      unusableSinceListing.remove(name);
      room = roomFor(name);
    }

    void found(String name, String key, long now) {
      NodeId id = parse(key, name, now);
      if (id == null) {
        return;
      }
      keys++;
      if (known.containsKey(id)) {
        listed.add(id);
        if (full) {
          toRead.add(key);
        }
      } else if (room > 0) {
        room--;
        listed.add(id);
        toRead.add(key);
      }
    }

    void end(String name) {
      counted(name, keys);
    }

    List<String> toRead() {
      return toRead;
    }

    /**
     * Every server was listed: a known node whose key was not found (nor read: those found past the cap were never
     * known) is looked at again after a grace.
     */
    void completed(long now) {
      for (NodeId id : known.keySet()) {
        if (!listed.contains(id)) {
          missing.putIfAbsent(id, now + graceNanos);
        }
      }
    }
  }

  /** Takes {@code registration} as where node {@code id} is from now on. */
  private List<Action> follow(NodeId id, NodeRegistration previous, NodeRegistration registration) {
    contested.remove(id);
    known.put(id, registration);
    if (registration.tls() != callsOverTls && (previous == null || previous.tls() != registration.tls())) {
      log.warn("Node {} registered a {} listener, but this node calls {}: connections to it will fail; {}", id,
          registration.tls() ? "TLS" : "plain", callsOverTls ? "over TLS" : "without TLS", registration.tls()
              ? "set frpc.client.ssl.bundle" : "remove frpc.client.ssl.bundle or give that node frpc.server.ssl.bundle");
    }
    return List.of(new NodeAvailable(id, registration.host(), registration.port()));
  }

  /**
   * The key of known node {@code id} names another process than the one this node follows: a restart when the
   * followed process no longer answers its connection; while it does, it is kept (two processes under one
   * identity, or an overwrite by a Redis writer), and the key is looked at again once a TTL.
   */
  private List<Action> afterReplaced(NodeId id, NodeRegistration previous, NodeRegistration replacing,
      boolean alive, long now) {
    if (known.get(id) != previous) {
      return List.of();
    }
    if (alive) {
      if (contested.put(id, now + ttlNanos) == null) {
        contestedReport.log("The registration of node " + id + " names another process (" + UntrustedText.escape(
            "boot id " + replacing.bootId() + " at " + replacing.host() + ":" + replacing.port()) + ") while the one "
            + "this node is connected to (boot id " + previous.bootId() + ") answers: keeping the connected one. Two "
            + "processes run under one identity (give each its own frpc.node.id), or the key was overwritten");
      }
      return List.of();
    }
    log.info("Node {} restarted (boot id {} -> {})", id, previous.bootId(), replacing.bootId());
    List<Action> actions = new ArrayList<>(2);
    actions.add(new NodeUnavailable(id, NodeDownReason.RESTARTED));
    actions.addAll(follow(id, previous, replacing));
    return actions;
  }

  /**
   * The registration of a known node is gone: deleted or expired. Its connection is asked for a heartbeat first,
   * and only a node that does not answer is removed. A node shutting down gracefully announces it on its
   * connection before it deletes its key, so it has no usable connection by then and leaves at once
   * ({@code DEREGISTERED}); a key deleted by anyone else does not take a live node away.
   */
  private List<Action> vanished(NodeId id, NodeDownReason reason) {
    missing.remove(id);
    if (!known.containsKey(id)) {
      return List.of();
    }
    return List.of(new ProbeVanished(id, reason));
  }

  /** Keeps a node whose connection answered; one that did not is removed after a last look at its key. */
  private List<Action> afterVanished(NodeId id, NodeDownReason reason, boolean alive, long now) {
    if (!known.containsKey(id)) {
      return List.of();
    }
    if (alive) {
      Long warned = keptDespiteRedis.get(id);
      if (warned == null || now - warned > KEPT_WARNING_NANOS) {
        keptDespiteRedis.put(id, now);
        log.warn("Registration of node {} vanished from Redis, but its connection answers: keeping it (a Redis "
            + "stall, or the key was deleted, lost or overwritten); it registers again on its next refresh", id);
      }
      missing.putIfAbsent(id, now + graceNanos);
      return List.of();
    }
    return List.of(new ConfirmRemoval(id, reason));
  }

  private List<Action> remove(NodeId id, NodeDownReason reason) {
    missing.remove(id);
    keptDespiteRedis.remove(id);
    contested.remove(id);
    deadlines.remove(settings.key(id));
    if (known.remove(id) == null) {
      return List.of();
    }
    log.info("Node {} left Redis discovery: {}", id, reason);
    return List.of(new NodeUnavailable(id, reason));
  }

  /** Reports a key whose value was not read ({@code problem}); never a registration. */
  private NodeRegistration unreadable(String key, String problem, long now) {
    junk.report(key, problem, now);
    return null;
  }

  /**
   * The registration of {@code id} in {@code value}, or {@code null} (reported) when it is not one this node can
   * use: junk, unsigned or wrongly signed where this node has a secret for the name, of another protocol version.
   */
  private NodeRegistration validate(String key, NodeId id, String value, long ttlMillis, long now) {
    if (ttlMillis == -1) {
      junk.report(key, "has no TTL, so it would keep an address known forever", now);
      return null;
    }
    RegistrationCodec.Decoded decoded = codec.decode(id, value);
    String problem = decoded.problem();
    if (problem == null && decoded.registration().protocolVersion() != FrameType.PROTOCOL_VERSION) {
      problem = "is unusable: speaks protocol version " + decoded.registration().protocolVersion() + ", this node "
          + FrameType.PROTOCOL_VERSION;
    }
    if (problem != null) {
      junk.report(key, problem, now);
      return null;
    }
    return decoded.registration();
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
   * A notification of a key of {@code name} was not read: the watcher follows as many as it may. Returns whether to
   * list the keys now, to count them for health: for the first such key, then at most every 5 s until counted.
   */
  private boolean ignoredPastCap(String name, long now) {
    if (capped.putIfAbsent(name, UNCOUNTED) == null) {
      warnCapped(name);
    }
    if (capped.get(name) == UNCOUNTED && (lastCapCount == NEVER || now - lastCapCount > CAP_COUNT_NANOS)) {
      lastCapCount = now;
      return true;
    }
    return false;
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

  /** The node of a key the watcher already validated (or {@code null} for any other; not reported). */
  private NodeId idOf(String key) {
    String name = nameOf(key);
    return name == null ? null : idIn(key, name);
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
  private NodeId parse(String key, String name, long now) {
    NodeId id = idIn(key, name);
    if (id == null) {
      junk.report(key, "does not end in a node id (a non-negative integer written in canonical decimal form)", now);
    }
    return id;
  }

  /** The node id {@code prefix:rpc:name:id} names, or {@code null}. */
  private NodeId idIn(String key, String name) {
    String id = key.substring(settings.keyPrefix().length() + ":rpc:".length() + name.length() + 1);
    try {
      int parsed = Integer.parseInt(id);
      if (parsed >= 0 && Integer.toString(parsed).equals(id)) {
        return new NodeId(name, parsed);
      }
    } catch (NumberFormatException e) {
      // not a node id
    }
    return null;
  }
}
