package io.frpc.internal.pubsub;

import io.frpc.NodeId;
import io.frpc.internal.protocol.ProtocolException;
import io.frpc.internal.protocol.PubSubFrames;
import io.frpc.internal.pubsub.Publisher.StateValue;
import io.frpc.internal.transport.ServedChannels;
import io.frpc.internal.transport.ServedConnection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The subscriptions of one admitted connection. SUBSCRIBE, UNSUBSCRIBE, writability changes and the close
 * arrive on the connection's I/O thread; publishers write from their own threads.
 */
final class SubscriberSession implements ServedChannels.Session {

  private final Publisher publisher;
  private final ServedConnection link;
  /** By subscription id; touched on the I/O thread only. */
  private final Map<Integer, RemoteSubscription> subscriptions = new HashMap<>();
  /** State channels whose latest version could not be written because the connection was full. */
  private final Set<String> unsentStates = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  SubscriberSession(Publisher publisher, ServedConnection link) {
    this.publisher = publisher;
    this.link = link;
  }

  NodeId peer() {
    return link.peer();
  }

  int maxMessageSize() {
    return link.maxMessageSize();
  }

  /** A SUBSCRIBE arrived; a repeated id replaces its subscription (and resends the current state). */
  @Override
  public void subscribe(PubSubFrames.Subscribe request) {
    int segments;
    try {
      segments = ChannelNames.check(request.channel(), true);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("SUBSCRIBE with a malformed channel: " + e.getMessage());
    }
    RemoteSubscription previous = subscriptions.remove(request.subscriptionId());
    if (previous != null) {
      publisher.remove(previous);
    } else if (subscriptions.size() >= publisher.maxSubscriptionsPerConnection()) {
      link.rejectSubscription(request.subscriptionId(), "more than " + publisher.maxSubscriptionsPerConnection()
          + " subscriptions on one connection");
      return;
    }
    RemoteSubscription subscription = new RemoteSubscription(this, request.subscriptionId(), request.state(),
        request.channel(), ChannelNames.isPattern(request.channel()), segments, new AtomicInteger());
    subscriptions.put(subscription.id(), subscription);
    publisher.add(subscription);
    if (subscription.state()) {
      sendCurrentStates(subscription);
    }
  }

  /** An UNSUBSCRIBE arrived; an unknown id is ignored (it may have been refused). */
  @Override
  public void unsubscribe(int subscriptionId) {
    RemoteSubscription subscription = subscriptions.remove(subscriptionId);
    if (subscription != null) {
      publisher.remove(subscription);
    }
  }

  /** The connection drained below its low-water mark: state versions it missed are sent now. */
  @Override
  public void writable() {
    for (String channel : unsentStates) {
      if (!hasRoom()) {
        return;
      }
      unsentStates.remove(channel);
      StateValue latest = publisher.value(channel);
      int[] ids = subscriptions.values().stream()
          .filter(s -> s.state() && (s.pattern() ? ChannelNames.matches(s.channel(), channel) : s.channel().equals(channel)))
          .mapToInt(RemoteSubscription::id).toArray();
      if (latest != null && ids.length > 0) {
        link.publishState(ids, ids.length, channel, latest.version(), latest.bytes());
      }
    }
  }

  /** The connection closed: its subscriptions end. */
  @Override
  public void closed() {
    closed = true;
    subscriptions.values().forEach(publisher::remove);
    subscriptions.clear();
    unsentStates.clear();
  }

  /** Subscriptions held on this connection. */
  public int size() {
    return subscriptions.size();
  }

  /** Writes a MESSAGE for {@code matched}; returns false when the message was dropped instead. */
  boolean sendMessage(List<RemoteSubscription> matched, String channel, byte[] payload) {
    int count = matched.size();
    if (!hasRoom()) {
      matched.forEach(s -> s.dropped().incrementAndGet());
      publisher.dropped(this, channel, 1);
      return false;
    }
    int[] ids = new int[count];
    int[] dropped = new int[count];
    for (int i = 0; i < count; i++) {
      RemoteSubscription subscription = matched.get(i);
      ids[i] = subscription.id();
      dropped[i] = subscription.dropped().getAndSet(0);
    }
    if (payload.length + 8 * count + 2 * ChannelNames.MAX_BYTES > link.maxMessageSize()) {
      publisher.tooLargeFor(this, channel, payload.length);
      return false;
    }
    link.publishMessage(ids, dropped, count, channel, payload);
    return true;
  }

  void sendState(List<RemoteSubscription> matched, String channel, StateValue value) {
    if (!hasRoom()) {
      remember(channel);
      return;
    }
    int[] ids = matched.stream().mapToInt(RemoteSubscription::id).toArray();
    if (value.bytes().length + 4 * ids.length + 2 * ChannelNames.MAX_BYTES > link.maxMessageSize()) {
      publisher.tooLargeFor(this, channel, value.bytes().length);
      return;
    }
    link.publishState(ids, ids.length, channel, value.version(), value.bytes());
  }

  private void sendCurrentStates(RemoteSubscription watch) {
    if (watch.pattern()) {
      publisher.valuesMatching(watch.channel()).forEach(entry ->
          sendState(List.of(watch), entry.getKey(), entry.getValue()));
    } else {
      StateValue current = publisher.value(watch.channel());
      if (current != null) {
        sendState(List.of(watch), watch.channel(), current);
      }
    }
  }

  /** Keeps {@code channel} for {@link #writable()}; if the connection drained meanwhile, sends it now. */
  private void remember(String channel) {
    if (closed) {
      return;
    }
    unsentStates.add(channel);
    if (hasRoom()) {
      link.execute(this::writable);
    }
  }

  /**
   * Whether publications may still be queued for the connection ({@code frpc.pubsub.max-queued-bytes}). The
   * limit is above the connection's high-water mark, so a connection over it becomes writable again only
   * after draining, and {@link #writable()} then runs.
   */
  private boolean hasRoom() {
    return link.queuedBytes() < publisher.maxQueuedBytes();
  }
}
