package io.frpc.internal.pubsub;

import io.frpc.MessageTooLargeException;
import io.frpc.internal.RateLimitedLog;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.internal.transport.ServedChannels;
import io.frpc.internal.transport.ServedConnection;
import io.frpc.pubsub.FrpcPublisher;
import io.frpc.status.ChannelStatus;
import io.frpc.time.FrpcClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publishing side of a node: the subscriptions remote nodes made on their connections to this node,
 * indexed by exact channel and by pattern (patterns grouped by segment count), and the latest value and
 * version of every state channel. Publishing encodes the payload once and writes one frame per subscribed
 * connection, never waiting: a connection past its high-water mark misses the message (counted, and
 * reported to the subscriber with the next one) or, for state, gets the latest version once it drains.
 */
public final class Publisher implements FrpcPublisher, ServedChannels {

  private static final Logger log = LoggerFactory.getLogger(Publisher.class);
  /** Bytes a MESSAGE or STATE frame adds to its payload beyond the subscription ids and the channel. */
  private static final int FRAME_OVERHEAD = 24;

  private final PayloadCodec codec;
  private final int maxMessageSize;
  private final int maxSubscriptionsPerConnection;
  private final long maxQueuedBytes;
  private final Index messages = new Index();
  private final Index states = new Index();
  private final ConcurrentHashMap<String, StateValue> values = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private final RateLimitedLog drops;

  /**
   * @param maxSubscriptionsPerConnection subscriptions one connection may hold; more are refused
   * @param maxQueuedBytes                bytes that may wait to be written to one subscribing connection
   *                                      before publications to it are dropped
   */
  public Publisher(PayloadCodec codec, int maxMessageSize, int maxSubscriptionsPerConnection, long maxQueuedBytes,
      FrpcClock clock) {
    this.codec = codec;
    this.drops = new RateLimitedLog(log, Duration.ofMinutes(1), clock);
    this.maxMessageSize = maxMessageSize;
    this.maxSubscriptionsPerConnection = maxSubscriptionsPerConnection;
    this.maxQueuedBytes = maxQueuedBytes;
  }

  @Override
  public SubscriberSession open(ServedConnection link) {
    return new SubscriberSession(this, link);
  }

  @Override
  public int publish(String channel, Object payload) {
    int segments = ChannelNames.check(channel, false);
    List<RemoteSubscription> matched = messages.matching(channel, segments);
    if (matched.isEmpty()) {
      return 0;
    }
    byte[] bytes = encode(payload);
    int sent = 0;
    for (Map.Entry<SubscriberSession, List<RemoteSubscription>> entry : bySession(matched).entrySet()) {
      sent += entry.getKey().sendMessage(entry.getValue(), channel, bytes) ? 1 : 0;
    }
    return sent;
  }

  @Override
  public long publishState(String channel, Object value) {
    int segments = ChannelNames.check(channel, false);
    byte[] bytes = encode(value);
    StateValue latest = values.compute(channel, (name, old) -> new StateValue(old == null ? 1 : old.version() + 1,
        bytes));
    List<RemoteSubscription> matched = states.matching(channel, segments);
    if (!matched.isEmpty()) {
      bySession(matched).forEach((session, watches) -> session.sendState(watches, channel, latest));
    }
    return latest.version();
  }

  @Override
  public boolean hasSubscribers(String channel) {
    return !messages.matching(channel, ChannelNames.check(channel, false)).isEmpty();
  }

  @Override
  public int subscriberCount(String channel) {
    return bySession(messages.matching(channel, ChannelNames.check(channel, false))).size();
  }

  @Override
  public int stateWatcherCount(String channel) {
    return bySession(states.matching(channel, ChannelNames.check(channel, false))).size();
  }

  @Override
  public long droppedMessages() {
    return dropped.get();
  }

  /** Subscriptions held on this node, per kind and channel or pattern, in channel order. */
  public List<ChannelStatus> status() {
    List<ChannelStatus> result = new ArrayList<>();
    messages.status(false, result);
    states.status(true, result);
    result.sort(Comparator.comparing(ChannelStatus::channel).thenComparing(ChannelStatus::state));
    return result;
  }

  long maxQueuedBytes() {
    return maxQueuedBytes;
  }

  int maxSubscriptionsPerConnection() {
    return maxSubscriptionsPerConnection;
  }

  StateValue value(String channel) {
    return values.get(channel);
  }

  /** Every state channel matching {@code pattern}, with its latest value. */
  List<Map.Entry<String, StateValue>> valuesMatching(String pattern) {
    List<Map.Entry<String, StateValue>> result = new ArrayList<>();
    values.forEach((channel, value) -> {
      if (ChannelNames.matches(pattern, channel)) {
        result.add(Map.entry(channel, value));
      }
    });
    return result;
  }

  void add(RemoteSubscription subscription) {
    (subscription.state() ? states : messages).add(subscription);
  }

  void remove(RemoteSubscription subscription) {
    (subscription.state() ? states : messages).remove(subscription);
  }

  void dropped(SubscriberSession session, String channel, int count) {
    dropped.addAndGet(count);
    drops.log("Dropped a message on channel '" + channel + "' for node " + session.peer() + ": its connection is "
        + "not keeping up (the subscriber sees the gap with its next message)");
  }

  void tooLargeFor(SubscriberSession session, String channel, int size) {
    dropped.incrementAndGet();
    drops.log("Dropped a message of " + size + " bytes on channel '" + channel + "' for node " + session.peer()
        + ": it accepts at most " + session.maxMessageSize() + " bytes (its frpc.max-message-size)");
  }

  private byte[] encode(Object payload) {
    byte[] bytes = codec.valueBytes(payload);
    if (bytes.length + FRAME_OVERHEAD + ChannelNames.MAX_BYTES > maxMessageSize) {
      throw new MessageTooLargeException(bytes.length, maxMessageSize);
    }
    return bytes;
  }

  private static Map<SubscriberSession, List<RemoteSubscription>> bySession(List<RemoteSubscription> matched) {
    if (matched.size() == 1) {
      return Map.of(matched.get(0).session(), matched);
    }
    Map<SubscriberSession, List<RemoteSubscription>> result = new IdentityHashMap<>();
    for (RemoteSubscription subscription : matched) {
      result.computeIfAbsent(subscription.session(), s -> new ArrayList<>(2)).add(subscription);
    }
    return result;
  }

  /** A state channel's latest value. */
  record StateValue(long version, byte[] bytes) {
  }

  /** Subscriptions of one kind, by exact channel and by pattern. */
  private static final class Index {
    private final ConcurrentHashMap<String, Set<RemoteSubscription>> exact = new ConcurrentHashMap<>();
    /** Patterns by their number of segments: a channel is only compared with patterns as long as it. */
    private final ConcurrentHashMap<Integer, Set<RemoteSubscription>> patterns = new ConcurrentHashMap<>();

    void add(RemoteSubscription subscription) {
      if (subscription.pattern()) {
        patterns.compute(subscription.segments(), (count, set) -> with(set, subscription));
      } else {
        exact.compute(subscription.channel(), (channel, set) -> with(set, subscription));
      }
    }

    void remove(RemoteSubscription subscription) {
      if (subscription.pattern()) {
        patterns.computeIfPresent(subscription.segments(), (count, set) -> without(set, subscription));
      } else {
        exact.computeIfPresent(subscription.channel(), (channel, set) -> without(set, subscription));
      }
    }

    List<RemoteSubscription> matching(String channel, int segments) {
      Set<RemoteSubscription> direct = exact.get(channel);
      Set<RemoteSubscription> candidates = patterns.get(segments);
      if (candidates == null) {
        return direct == null ? List.of() : List.copyOf(direct);
      }
      List<RemoteSubscription> result = direct == null ? new ArrayList<>() : new ArrayList<>(direct);
      for (RemoteSubscription candidate : candidates) {
        if (ChannelNames.matches(candidate.channel(), channel)) {
          result.add(candidate);
        }
      }
      return result;
    }

    void status(boolean state, List<ChannelStatus> into) {
      Map<String, Set<SubscriberSession>> sessions = new TreeMap<>();
      exact.values().forEach(set -> set.forEach(s -> sessions.computeIfAbsent(s.channel(), c -> new HashSet<>())
          .add(s.session())));
      patterns.values().forEach(set -> set.forEach(s -> sessions.computeIfAbsent(s.channel(), c -> new HashSet<>())
          .add(s.session())));
      sessions.forEach((channel, subscribers) -> into.add(new ChannelStatus(channel, state, subscribers.size())));
    }

    private static Set<RemoteSubscription> with(Set<RemoteSubscription> set, RemoteSubscription subscription) {
      Set<RemoteSubscription> result = set == null ? ConcurrentHashMap.newKeySet() : set;
      result.add(subscription);
      return result;
    }

    private static Set<RemoteSubscription> without(Set<RemoteSubscription> set, RemoteSubscription subscription) {
      set.remove(subscription);
      return set.isEmpty() ? null : set;
    }
  }
}
