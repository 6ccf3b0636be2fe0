package io.frpc.skynet.client;

import io.frpc.NodeDownReason;
import io.frpc.NodeId;
import io.frpc.RemoteNode;
import io.frpc.UnknownNodeNameException;
import io.frpc.pubsub.ChannelMessage;
import io.frpc.pubsub.Channels;
import io.frpc.pubsub.MessageListener;
import io.frpc.pubsub.StateListener;
import io.frpc.pubsub.StateUpdate;
import io.frpc.pubsub.Subscription;
import io.frpc.pubsub.SubscriptionListener;
import io.frpc.skynet.LuaBinding;
import io.frpc.skynet.LuaValue;
import io.frpc.skynet.internal.client.SkynetWatches;
import io.frpc.skynet.internal.client.WatchListener;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;

/**
 * Subscriptions to the channels of the skynet_fly nodes named {@code svrName}, from
 * {@link SkynetNodes#channels(String)}: every node of that name in the map, whenever it is active, or one node with
 * {@link #node(int)}. What skynet_fly's Lua subscribers do with {@code watch_client} and {@code watch_syn_client}:
 * <ul>
 *   <li>{@link #subscribe} is {@code watch_client.watch}: each {@code watch_server.publish(channel, ...)} of a node
 *   reaches the listener, its first value bound to the payload type ({@link #subscribeRaw} gives all of them);</li>
 *   <li>{@link #watchState} on a channel name is {@code watch_syn_client.watch}: the current value of each
 *   {@code watch_server.pubsyn(channel, ...)} at once, then each newer version (latest wins);</li>
 *   <li>{@link #watchState} on a pattern ({@code *} for whole {@code :}-separated parts, as in {@code room:*:a}) is
 *   {@code watch_syn_client.pwatch}: every state channel of the node that matches it, as it appears.</li>
 * </ul>
 * A subscription lasts across reconnections and node restarts (listeners hear {@code nodeLost} and
 * {@code nodeJoined}; state watches then receive the current value again). Listeners run one at a time per
 * subscription on the client's listener executor, never on an I/O thread; a listener that falls behind loses
 * messages beyond its backlog ({@link SkynetNodes.Builder#subscriberBacklog}), counted in
 * {@link ChannelMessage#dropped()} and {@link Subscription#dropped()}, never the latest state. The
 * {@link RemoteNode} of an update has an empty boot id: skynet_fly does not tell one. Immutable and thread-safe.
 */
public final class SkynetChannels implements Channels {

  private static final Logger log = LoggerFactory.getLogger(SkynetChannels.class);

  private final SkynetWatches watches;
  private final LuaBinding binding;
  private final String svrName;
  private final Integer svrId;

  SkynetChannels(SkynetWatches watches, LuaBinding binding, String svrName, Integer svrId) {
    this.watches = watches;
    this.binding = binding;
    this.svrName = Objects.requireNonNull(svrName, "svrName");
    this.svrId = svrId;
  }

  /** The same subscriptions, on node {@code id} of the name only. */
  @Override
  public SkynetChannels node(int id) {
    return new SkynetChannels(watches, binding, svrName, id);
  }

  /**
   * Subscribes to the messages published on {@code channel}, the first published value bound to
   * {@code payloadType} ({@code nil} or none binds to null).
   *
   * @throws IllegalArgumentException when {@code channel} is empty or longer than 255 bytes
   * @throws UnknownNodeNameException when no node of the map has this name
   */
  @Override
  public <T> Subscription subscribe(String channel, Class<T> payloadType, MessageListener<T> listener) {
    Objects.requireNonNull(payloadType, "payloadType");
    return messages(channel, values -> binding.toJava(first(values), payloadType), listener);
  }

  /** Like {@link #subscribe(String, Class, MessageListener)} for generic payload types. */
  @Override
  public <T> Subscription subscribe(String channel, TypeReference<T> payloadType, MessageListener<T> listener) {
    Objects.requireNonNull(payloadType, "payloadType");
    return messages(channel, values -> binding.toJava(first(values), payloadType), listener);
  }

  /** Subscribes to the messages published on {@code channel}, as every Lua value published. */
  public Subscription subscribeRaw(String channel, MessageListener<List<LuaValue>> listener) {
    return messages(channel, Function.identity(), listener);
  }

  /**
   * Watches state channel {@code channel} (or, with a {@code *}, every state channel matching the pattern): the
   * current value at once and every later version, the first value of the {@code pubsyn} bound to
   * {@code valueType}.
   *
   * @throws IllegalArgumentException when {@code channel} is empty or longer than 255 bytes
   * @throws UnknownNodeNameException when no node of the map has this name
   */
  @Override
  public <T> Subscription watchState(String channel, Class<T> valueType, StateListener<T> listener) {
    Objects.requireNonNull(valueType, "valueType");
    return states(channel, values -> binding.toJava(first(values), valueType), listener);
  }

  /** Like {@link #watchState(String, Class, StateListener)} for generic value types. */
  @Override
  public <T> Subscription watchState(String channel, TypeReference<T> valueType, StateListener<T> listener) {
    Objects.requireNonNull(valueType, "valueType");
    return states(channel, values -> binding.toJava(first(values), valueType), listener);
  }

  /** Like {@link #watchState(String, Class, StateListener)}, as every Lua value of the {@code pubsyn}. */
  public Subscription watchStateRaw(String channel, StateListener<List<LuaValue>> listener) {
    return states(channel, Function.identity(), listener);
  }

  private static LuaValue first(List<LuaValue> values) {
    return values.isEmpty() ? LuaValue.nil() : values.get(0);
  }

  private <T> Subscription messages(String channel, Function<List<LuaValue>, T> decode, MessageListener<T> listener) {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(listener, "listener");
    return watches.messages(svrName, svrId, channel, new Adapter(listener) {
      @Override
      public void message(RemoteNode node, String channelName, List<LuaValue> values, long dropped) {
        T payload;
        try {
          payload = decode.apply(values);
        } catch (RuntimeException e) {
          log.warn("A message on skynet channel '{}' of {} does not bind: {}", channelName, node.id(), e.getMessage());
          return;
        }
        listener.onMessage(new ChannelMessage<>(node, channelName, payload, dropped));
      }
    });
  }

  private <T> Subscription states(String channel, Function<List<LuaValue>, T> decode, StateListener<T> listener) {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(listener, "listener");
    return watches.states(svrName, svrId, channel, new Adapter(listener) {
      @Override
      public void state(RemoteNode node, String channelName, long version, List<LuaValue> values) {
        T value;
        try {
          value = decode.apply(values);
        } catch (RuntimeException e) {
          log.warn("Version {} of skynet state channel '{}' of {} does not bind: {}", version, channelName,
              node.id(), e.getMessage());
          return;
        }
        listener.onState(new StateUpdate<>(node, channelName, version, value));
      }
    });
  }

  /** Passes node events on to a frpc listener; messages or states are overridden by the kind subscribed. */
  private abstract static class Adapter implements WatchListener {
    private final SubscriptionListener listener;

    Adapter(SubscriptionListener listener) {
      this.listener = listener;
    }

    @Override
    public void message(RemoteNode node, String channel, List<LuaValue> values, long dropped) {
    }

    @Override
    public void state(RemoteNode node, String channel, long version, List<LuaValue> values) {
    }

    @Override
    public void joined(RemoteNode node) {
      listener.nodeJoined(node);
    }

    @Override
    public void lost(RemoteNode node) {
      listener.nodeLost(node, NodeDownReason.CONNECTION_LOST);
    }

    @Override
    public void refused(NodeId node, String reason) {
      listener.refused(node, reason);
    }
  }
}
