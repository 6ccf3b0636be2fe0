package io.frpc.internal.pubsub;

import io.frpc.NodeDownReason;
import io.frpc.NodeId;
import io.frpc.RemoteNode;
import io.frpc.UnknownNodeNameException;
import io.frpc.internal.RateLimitedLog;
import io.frpc.internal.UntrustedText;
import io.frpc.internal.protocol.FrameType;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.internal.protocol.PubSubFrames;
import io.frpc.internal.routing.RemoteNodes;
import io.frpc.internal.transport.OutgoingConnection;
import io.frpc.pubsub.Channels;
import io.frpc.pubsub.SubscriptionListener;
import io.frpc.status.SubscriptionStatus;
import io.frpc.time.FrpcClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectReader;

/**
 * The subscribing side of a node. Local subscriptions with the same kind and channel share one remote
 * subscription id, so a node subscribes to a channel of a peer once however many listeners it has. On
 * every connection that comes up the hub subscribes everything targeting that node (and tells the
 * listeners it joined); when a connection goes, it tells them the node was lost. Subscription changes
 * and connection changes take the hub's lock; publications are routed from the I/O threads without it.
 */
public final class SubscriberHub implements AutoCloseable, OutgoingConnection.PublicationSink,
    RemoteNodes.ConnectionObserver {

  private static final Logger log = LoggerFactory.getLogger(SubscriberHub.class);

  private final PayloadCodec codec;
  private final Executor deliveries;
  private final Function<String, String> unknownNames;
  private final int backlog;
  private final long backlogBytes;
  private final int maxSubscriptionsPerConnection;
  private final RateLimitedLog refusals;
  private final FrpcClock clock;

  // Guarded by this.
  private final Map<Key, RemoteKey> keys = new HashMap<>();
  private final Map<NodeId, Attached> attached = new HashMap<>();
  private int lastId;
  private boolean closed;

  /** Read by the I/O threads. */
  private final Map<Integer, RemoteKey> byId = new ConcurrentHashMap<>();

  /**
   * @param deliveries                    runs listeners (never an I/O thread)
   * @param unknownNames                  why a node name can never be discovered, or null when it may be
   * @param backlog                       messages one subscription may queue for its listener
   * @param backlogBytes                  bytes of messages one subscription may queue for its listener
   * @param maxSubscriptionsPerConnection distinct subscriptions this node makes on one node at most
   * @param clock                         paces the logs of refused and dropped messages
   */
  public SubscriberHub(PayloadCodec codec, Executor deliveries, Function<String, String> unknownNames, int backlog,
      long backlogBytes, int maxSubscriptionsPerConnection, FrpcClock clock) {
    this.codec = codec;
    this.clock = clock;
    this.refusals = new RateLimitedLog(log, Duration.ofMinutes(1), clock);
    this.deliveries = deliveries;
    this.unknownNames = unknownNames;
    this.backlog = backlog;
    this.backlogBytes = backlogBytes;
    this.maxSubscriptionsPerConnection = maxSubscriptionsPerConnection;
  }

  /** The subscriptions of the nodes named {@code nodeName}. */
  public Channels channels(String nodeName) {
    Objects.requireNonNull(nodeName, "nodeName");
    return new NodeChannels(this, nodeName, null);
  }

  LocalSubscription subscribe(String nodeName, Integer nodeId, String channel, boolean state, ObjectReader reader,
      SubscriptionListener listener) {
    ChannelNames.check(channel, true);
    Objects.requireNonNull(listener, "listener");
    String unknown = unknownNames.apply(nodeName);
    if (unknown != null) {
      throw new UnknownNodeNameException(nodeName, nodeId, unknown);
    }
    LocalSubscription local = new LocalSubscription(this, nodeName, nodeId, channel, state, reader, listener, codec,
        deliveries, backlog, backlogBytes, clock);
    add(local);
    return local;
  }

  private synchronized void add(LocalSubscription local) {
    if (closed) {
      throw new IllegalStateException("this frpc node is closed");
    }
    Key key = new Key(local.isState(), local.channel());
    RemoteKey remote = keys.get(key);
    int id = remote == null ? lastId + 1 : remote.id;
    for (Attached node : attached.values()) {
      if (local.targets(node.id()) && !node.ids.contains(id) && node.ids.size() >= maxSubscriptionsPerConnection) {
        throw new IllegalStateException("cannot subscribe to '" + local.channel() + "' on node " + node.id()
            + ": this node holds " + node.ids.size() + " subscriptions there, the most "
            + "frpc.pubsub.max-subscriptions-per-connection allows; subscribe to a pattern instead of many channels");
      }
    }
    if (remote == null) {
      lastId = id;
      remote = new RemoteKey(id, key);
      keys.put(key, remote);
      byId.put(id, remote);
    }
    remote.locals.add(local);
    for (Attached node : attached.values()) {
      if (local.targets(node.id())) {
        // A state watch joining a live one subscribes again: the node then resends its current values,
        // which the new watch needs and the older ones skip as already delivered.
        if (node.ids.add(id) || key.state()) {
          node.connection.write(PubSubFrames.subscribe(node.connection.alloc(), id, key.state(), key.channel()));
        }
        local.joined(node.connection.node());
      }
    }
  }

  synchronized void unsubscribe(LocalSubscription local) {
    RemoteKey remote = keys.get(new Key(local.isState(), local.channel()));
    if (remote == null || !remote.locals.remove(local)) {
      return;
    }
    for (Attached node : attached.values()) {
      if (node.ids.contains(remote.id) && remote.locals.stream().noneMatch(other -> other.targets(node.id()))) {
        node.ids.remove(remote.id);
        node.connection.write(PubSubFrames.unsubscribe(node.connection.alloc(), remote.id));
      }
    }
    if (remote.locals.isEmpty()) {
      keys.remove(remote.key);
      byId.remove(remote.id);
    }
  }

  /** A connection to a node is up: every subscription targeting the node is made on it. */
  @Override
  public synchronized void connected(OutgoingConnection connection) {
    if (closed) {
      return;
    }
    RemoteNode node = connection.node();
    List<LocalSubscription> targeting = new ArrayList<>();
    keys.values().forEach(remote -> remote.locals.stream().filter(l -> l.targets(node.id())).forEach(targeting::add));
    if (!connection.supports(FrameType.FEATURE_PUBSUB)) {
      targeting.forEach(local -> local.refused(node.id(), "node " + node.id() + " does not support pub/sub"));
      return;
    }
    Attached entry = new Attached(connection);
    attached.put(node.id(), entry);
    connection.deliverPublicationsTo(this);
    for (RemoteKey remote : keys.values()) {
      List<LocalSubscription> locals = remote.locals.stream().filter(l -> l.targets(node.id())).toList();
      if (locals.isEmpty()) {
        continue;
      }
      if (entry.ids.size() >= maxSubscriptionsPerConnection) {
        locals.forEach(local -> local.refused(node.id(), "more than frpc.pubsub.max-subscriptions-per-connection ("
            + maxSubscriptionsPerConnection + ") subscriptions on one node"));
        continue;
      }
      entry.ids.add(remote.id);
      connection.write(PubSubFrames.subscribe(connection.alloc(), remote.id, remote.key.state(), remote.key.channel()));
      locals.forEach(local -> local.joined(node));
    }
  }

  /** The connection to a node is gone: its subscribers are told, and it is subscribed again when it returns. */
  @Override
  public synchronized void disconnected(OutgoingConnection connection, NodeDownReason reason) {
    RemoteNode node = connection.node();
    Attached entry = attached.get(node.id());
    if (entry == null || entry.connection != connection) {
      return;
    }
    attached.remove(node.id());
    for (int id : entry.ids) {
      RemoteKey remote = byId.get(id);
      if (remote != null) {
        remote.locals.stream().filter(l -> l.targets(node.id())).forEach(local -> local.lost(node, reason));
      }
    }
  }

  /** Routes a publication or refusal to the local subscriptions it is for (I/O thread). */
  @Override
  public void received(OutgoingConnection connection, Object frame) {
    RemoteNode node = connection.node();
    if (frame instanceof PubSubFrames.Publication publication) {
      int[] ids = publication.subscriptionIds();
      for (int i = 0; i < ids.length; i++) {
        RemoteKey remote = byId.get(ids[i]);
        if (remote == null || remote.key.state() != publication.isState()) {
          continue; // unsubscribed meanwhile
        }
        for (LocalSubscription local : remote.locals) {
          if (!local.targets(node.id())) {
            continue;
          }
          if (publication.isState()) {
            local.offerState(node, publication.channel(), publication.version(), publication.payload());
          } else {
            local.offerMessage(node, publication.channel(), publication.payload(), publication.dropped()[i]);
          }
        }
      }
    } else if (frame instanceof PubSubFrames.SubscribeReject reject) {
      refused(connection, reject);
    }
  }

  private synchronized void refused(OutgoingConnection connection, PubSubFrames.SubscribeReject reject) {
    RemoteNode node = connection.node();
    Attached entry = attached.get(node.id());
    RemoteKey remote = byId.get(reject.subscriptionId());
    if (entry == null || entry.connection != connection || remote == null) {
      return;
    }
    entry.ids.remove(remote.id);
    String reason = UntrustedText.escape(reject.reason());
    refusals.log("Node " + node.id() + " refused the subscription to '" + remote.key.channel() + "': " + reason);
    remote.locals.stream().filter(l -> l.targets(node.id())).forEach(local -> local.refused(node.id(), reason));
  }

  /** Ends every subscription; nothing is delivered afterwards. */
  @Override
  public void close() {
    List<LocalSubscription> all = new ArrayList<>();
    synchronized (this) {
      closed = true;
      keys.values().forEach(remote -> all.addAll(remote.locals));
    }
    all.forEach(LocalSubscription::close);
  }

  /** The subscriptions made on this node that are still open. */
  public synchronized List<SubscriptionStatus> status() {
    List<SubscriptionStatus> result = new ArrayList<>();
    keys.values().forEach(remote -> remote.locals.forEach(local -> result.add(local.status())));
    result.sort(Comparator.comparing(SubscriptionStatus::channel).thenComparing(SubscriptionStatus::nodeName));
    return result;
  }

  PayloadCodec codec() {
    return codec;
  }

  private record Key(boolean state, String channel) {
  }

  /** One remote subscription id and the local subscriptions sharing it. */
  private static final class RemoteKey {
    final int id;
    final Key key;
    final List<LocalSubscription> locals = new CopyOnWriteArrayList<>();

    RemoteKey(int id, Key key) {
      this.id = id;
      this.key = key;
    }
  }

  /** A connected node and the remote subscription ids made on its connection. */
  private static final class Attached {
    final OutgoingConnection connection;
    final Set<Integer> ids = new HashSet<>();

    Attached(OutgoingConnection connection) {
      this.connection = connection;
    }

    NodeId id() {
      return connection.node().id();
    }
  }
}
