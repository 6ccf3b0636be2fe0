package io.frpc.internal.pubsub;

import io.frpc.NodeDownReason;
import io.frpc.NodeId;
import io.frpc.RemoteNode;
import io.frpc.internal.RateLimitedLog;
import io.frpc.internal.UntrustedText;
import io.frpc.internal.protocol.Payload;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.pubsub.ChannelMessage;
import io.frpc.pubsub.MessageListener;
import io.frpc.pubsub.StateListener;
import io.frpc.pubsub.StateUpdate;
import io.frpc.pubsub.Subscription;
import io.frpc.pubsub.SubscriptionListener;
import io.frpc.status.SubscriptionStatus;
import io.frpc.time.FrpcClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;

/**
 * One subscription made on this node, and its delivery: a queue drained by one worker at a time, so the
 * listener sees messages in arrival order (per node and channel, publish order), node signals in order
 * with them, and never runs on an I/O thread. Messages beyond the backlog (a number of messages and of
 * bytes) are dropped and the gap is reported with the next message from that node; state versions waiting for delivery are replaced by
 * newer ones of the same channel, so the backlog of a watch is bounded by its channels and always ends
 * with the latest value.
 */
final class LocalSubscription implements Subscription, Runnable {

  private static final Logger log = LoggerFactory.getLogger(LocalSubscription.class);

  private final SubscriberHub hub;
  private final String nodeName;
  private final Integer nodeId;
  private final String channel;
  private final boolean state;
  private final ObjectReader reader;
  private final SubscriptionListener listener;
  private final PayloadCodec codec;
  private final Executor executor;
  private final int backlog;
  private final long backlogBytes;
  private final RateLimitedLog drops;
  private final Set<NodeId> nodes = ConcurrentHashMap.newKeySet();
  private final AtomicLong dropped = new AtomicLong();

  // Guarded by this.
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private final Map<StateKey, PendingState> pendingStates = new HashMap<>();
  private final Map<NodeId, Long> gaps = new HashMap<>();
  private int queuedMessages;
  private long queuedBytes;
  private boolean scheduled;
  private volatile boolean closed;

  // Touched by the delivering worker only.
  private final Map<StateKey, Long> deliveredVersions = new HashMap<>();
  private final Map<NodeId, String> deliveredBoots = new HashMap<>();

  LocalSubscription(SubscriberHub hub, String nodeName, Integer nodeId, String channel, boolean state,
      ObjectReader reader, SubscriptionListener listener, PayloadCodec codec, Executor executor, int backlog,
      long backlogBytes, FrpcClock clock) {
    this.hub = hub;
    this.drops = new RateLimitedLog(log, Duration.ofMinutes(1), clock);
    this.nodeName = nodeName;
    this.nodeId = nodeId;
    this.channel = channel;
    this.state = state;
    this.reader = reader;
    this.listener = listener;
    this.codec = codec;
    this.executor = executor;
    this.backlog = backlog;
    this.backlogBytes = backlogBytes;
  }

  @Override
  public String channel() {
    return channel;
  }

  @Override
  public Set<NodeId> nodes() {
    return Set.copyOf(nodes);
  }

  @Override
  public long dropped() {
    return dropped.get();
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    hub.unsubscribe(this);
    synchronized (this) {
      queue.clear();
      pendingStates.clear();
      queuedMessages = 0;
      queuedBytes = 0;
    }
  }

  SubscriptionStatus status() {
    return new SubscriptionStatus(nodeName, nodeId, channel, state, nodes.stream().sorted().toList(), dropped.get());
  }

  boolean isState() {
    return state;
  }

  /** Whether node {@code node} is one this subscription is for. */
  boolean targets(NodeId node) {
    return node.name().equals(nodeName) && (nodeId == null || nodeId == node.id());
  }

  String describe() {
    return (state ? "state watch " : "subscription ") + "'" + channel + "' on " + (nodeId == null ? "nodes "
        + nodeName : "node " + nodeName + ":" + nodeId);
  }

  void joined(RemoteNode node) {
    nodes.add(node.id());
    enqueue(new Signal(() -> listener.nodeJoined(node)));
  }

  void lost(RemoteNode node, NodeDownReason reason) {
    nodes.remove(node.id());
    enqueue(new Signal(() -> listener.nodeLost(node, reason)));
  }

  void refused(NodeId node, String reason) {
    nodes.remove(node);
    enqueue(new Signal(() -> listener.refused(node, reason)));
  }

  /** A message arrived from {@code node} (I/O thread); {@code publisherDropped} were lost before it. */
  void offerMessage(RemoteNode node, String published, Payload payload, int publisherDropped) {
    boolean full;
    String behind;
    synchronized (this) {
      if (closed) {
        return;
      }
      // at most the backlog's messages and bytes; one message always fits, however large
      full = queuedMessages >= backlog || queuedMessages > 0 && queuedBytes + payload.length() > backlogBytes;
      behind = queuedMessages + " messages of " + queuedBytes + " bytes";
      if (full) {
        gaps.merge(node.id(), 1L + publisherDropped, Long::sum);
      } else {
        Long gap = gaps.remove(node.id());
        queuedMessages++;
        queuedBytes += payload.length();
        add(new Message(node, published, payload, publisherDropped + (gap == null ? 0 : gap)));
      }
    }
    dropped.addAndGet(publisherDropped + (full ? 1 : 0));
    if (full) {
      drops.log("Dropped a message on channel '" + UntrustedText.escape(published) + "' from node " + node.id()
          + " for the " + describe() + ": its listener is behind by " + behind
          + " (frpc.pubsub.subscriber-backlog, frpc.pubsub.max-queued-bytes)");
    }
  }

  /** A state version arrived from {@code node} (I/O thread); it replaces an undelivered older one. */
  void offerState(RemoteNode node, String published, long version, Payload payload) {
    synchronized (this) {
      if (closed) {
        return;
      }
      StateKey key = new StateKey(node.id(), published);
      PendingState pending = pendingStates.get(key);
      if (pending != null && pending.node.bootId().equals(node.bootId())) {
        if (version > pending.version) {
          pending.version = version;
          pending.payload = payload;
        }
        return;
      }
      pending = new PendingState(key, node, version, payload);
      pendingStates.put(key, pending);
      add(pending);
    }
  }

  private void enqueue(Object delivery) {
    synchronized (this) {
      if (closed) {
        return;
      }
      add(delivery);
    }
  }

  /** Queues a delivery and schedules the drain; called holding the lock. */
  private void add(Object delivery) {
    queue.add(delivery);
    if (!scheduled) {
      scheduled = true;
      try {
        executor.execute(this);
      } catch (RejectedExecutionException e) {
        scheduled = false;
        queue.clear();
      }
    }
  }

  /** Delivers until the queue is empty, one delivery at a time. */
  @Override
  public void run() {
    while (true) {
      Object next;
      synchronized (this) {
        next = queue.poll();
        if (next == null) {
          scheduled = false;
          return;
        }
        if (next instanceof Message message) {
          queuedMessages--;
          queuedBytes -= message.payload().length();
        } else if (next instanceof PendingState pending) {
          // No longer replaceable: a newer version from now on queues a delivery of its own.
          pendingStates.remove(pending.key, pending);
        }
      }
      if (!closed) {
        deliver(next);
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void deliver(Object delivery) {
    try {
      if (delivery instanceof Signal signal) {
        signal.action.run();
      } else if (delivery instanceof Message message) {
        Object payload = decode(message.node, message.channel, message.payload);
        ((MessageListener) listener).onMessage(new ChannelMessage<>(message.node, message.channel, payload,
            message.dropped));
      } else if (delivery instanceof PendingState update && isNewer(update)) {
        Object value = decode(update.node, update.key.channel(), update.payload);
        ((StateListener) listener).onState(new StateUpdate<>(update.node, update.key.channel(), update.version,
            value));
      }
    } catch (UndeliverableException e) {
      // counted and logged by decode
    } catch (RuntimeException e) {
      log.warn("Listener of the {} failed", describe(), e);
    }
  }

  /** Whether a state version is newer than the last delivered one of its channel and node process. */
  private boolean isNewer(PendingState update) {
    NodeId node = update.key.node();
    String boot = update.node.bootId();
    if (!boot.equals(deliveredBoots.put(node, boot))) {
      deliveredVersions.keySet().removeIf(key -> key.node().equals(node));
    }
    Long last = deliveredVersions.get(update.key);
    if (last != null && last >= update.version) {
      return false;
    }
    deliveredVersions.put(update.key, update.version);
    return true;
  }

  private Object decode(RemoteNode node, String published, Payload payload) {
    try {
      return codec.readValue(payload, reader);
    } catch (JacksonException e) {
      dropped.incrementAndGet();
      drops.log("Dropped a message on channel '" + UntrustedText.escape(published) + "' from node " + node.id()
          + " for the " + describe() + ": it does not bind to " + reader.getValueType() + ": "
          + UntrustedText.escape(e.getOriginalMessage()));
      throw new UndeliverableException();
    }
  }

  /** A payload that did not decode; already counted and logged. */
  private static final class UndeliverableException extends RuntimeException {
    UndeliverableException() {
      super(null, null, false, false);
    }
  }

  private record Signal(Runnable action) {
  }

  private record Message(RemoteNode node, String channel, Payload payload, long dropped) {
  }

  private record StateKey(NodeId node, String channel) {
  }

  /**
   * A state version waiting for delivery; replaced in place by newer versions while queued. Guarded by the
   * subscription until the drain takes it out of the queue.
   */
  private static final class PendingState {
    final StateKey key;
    final RemoteNode node;
    long version;
    Payload payload;

    PendingState(StateKey key, RemoteNode node, long version, Payload payload) {
      this.key = key;
      this.node = node;
      this.version = version;
      this.payload = payload;
    }
  }
}
