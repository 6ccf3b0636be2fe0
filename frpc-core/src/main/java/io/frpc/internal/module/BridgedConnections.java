package io.frpc.internal.module;

import io.frpc.ConnectionLostException;
import io.frpc.InstanceReply;
import io.frpc.NodeId;
import io.frpc.RemoteCallException;
import io.frpc.RemoteErrorCode;
import io.frpc.bridge.BridgeConnection;
import io.frpc.bridge.BridgeRequest;
import io.frpc.bridge.BridgeSubscriber;
import io.frpc.bridge.NodeBridge;
import io.frpc.internal.protocol.BroadcastItem;
import io.frpc.internal.protocol.InboundRequest;
import io.frpc.internal.protocol.InstanceSelection;
import io.frpc.internal.protocol.Payload;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.internal.protocol.ProtocolException;
import io.frpc.internal.protocol.PubSubFrames;
import io.frpc.internal.protocol.RemoteError;
import io.frpc.internal.protocol.RequestEnvelope;
import io.frpc.internal.protocol.ResponseStatus;
import io.frpc.internal.transport.ServedChannels;
import io.frpc.internal.transport.ServedConnection;
import io.frpc.time.FrpcClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;

/**
 * The {@link NodeBridge} of a node: a bridge connection is a {@link ServedConnection} whose replies complete
 * futures and whose publications reach a {@link BridgeSubscriber} instead of being written, so its requests and
 * subscriptions take the dispatcher's and the publisher's paths exactly as an frpc connection's do.
 */
public final class BridgedConnections implements NodeBridge {

  private final NodeId self;
  private final Supplier<RequestDispatcher> dispatcher;
  private final ServedChannels channels;
  private final PayloadCodec codec;
  private final FrpcClock clock;
  private final ObjectReader treeReader;

  /**
   * @param self       this node, named in the exceptions of failed requests
   * @param dispatcher the node's dispatcher, or {@code null} while it serves nothing
   * @param channels   the node's channels, which bridge connections may subscribe to
   */
  public BridgedConnections(NodeId self, Supplier<RequestDispatcher> dispatcher, ServedChannels channels,
      PayloadCodec codec, FrpcClock clock) {
    this.self = self;
    this.dispatcher = dispatcher;
    this.channels = channels;
    this.codec = codec;
    this.clock = clock;
    this.treeReader = codec.reader(JsonNode.class);
  }

  @Override
  public BridgeConnection connect(NodeId peer, Executor connection) {
    return new Connection(peer, connection, null);
  }

  @Override
  public BridgeConnection connect(NodeId peer, Executor connection, BridgeSubscriber subscriber) {
    return new Connection(peer, connection, Objects.requireNonNull(subscriber, "subscriber"));
  }

  private final class Connection implements BridgeConnection, ServedConnection {
    private final NodeId peer;
    private final String peerText;
    private final Executor thread;
    /** Request ids of this connection; 0 is a send's. */
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<?>> waiting = new ConcurrentHashMap<>();
    private final Map<Integer, Runnable> cancellable = new ConcurrentHashMap<>();
    private final BridgeSubscriber subscriber;
    /** The subscriptions of this connection, opened at its first; touched on the connection's thread only. */
    private ServedChannels.Session subscriptions;
    private volatile boolean closed;

    Connection(NodeId peer, Executor thread, BridgeSubscriber subscriber) {
      this.peer = peer;
      this.peerText = peer.toString();
      this.thread = thread;
      this.subscriber = subscriber;
    }

    @Override
    public void subscribe(int subscriptionId, String channel, boolean state) {
      if (subscriber == null) {
        throw new IllegalStateException("this bridge connection was opened without a subscriber");
      }
      if (closed) {
        return;
      }
      if (subscriptions == null) {
        subscriptions = channels.open(this);
      }
      try {
        subscriptions.subscribe(new PubSubFrames.Subscribe(subscriptionId, state, channel));
      } catch (ProtocolException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    }

    @Override
    public void unsubscribe(int subscriptionId) {
      if (subscriptions != null) {
        subscriptions.unsubscribe(subscriptionId);
      }
    }

    @Override
    public void writable() {
      if (subscriptions != null) {
        subscriptions.writable();
      }
    }

    @Override
    public void publishMessage(int[] ids, int[] dropped, int count, String channel, byte[] payload) {
      JsonNode tree = codec.readValue(new Payload(payload, 0, payload.length), treeReader);
      for (int i = 0; i < count; i++) {
        subscriber.message(ids[i], channel, tree, dropped[i]);
      }
    }

    @Override
    public void publishState(int[] ids, int count, String channel, long version, byte[] value) {
      JsonNode tree = codec.readValue(new Payload(value, 0, value.length), treeReader);
      for (int i = 0; i < count; i++) {
        subscriber.state(ids[i], channel, version, tree);
      }
    }

    @Override
    public void rejectSubscription(int id, String reason) {
      subscriber.rejected(id, reason);
    }

    @Override
    public CompletableFuture<JsonNode> call(BridgeRequest request) {
      if (request.pick() == BridgeRequest.Pick.BROADCAST) {
        throw new IllegalArgumentException("a broadcast request goes through broadcast()");
      }
      return dispatch(request, new CompletableFuture<>());
    }

    @Override
    public CompletableFuture<List<InstanceReply<JsonNode>>> broadcast(BridgeRequest request) {
      if (request.pick() != BridgeRequest.Pick.BROADCAST) {
        throw new IllegalArgumentException("only a broadcast request goes through broadcast()");
      }
      return dispatch(request, new CompletableFuture<>());
    }

    @Override
    public void send(BridgeRequest request) {
      dispatch(request, null);
    }

    private <T> CompletableFuture<T> dispatch(BridgeRequest request, CompletableFuture<T> reply) {
      RequestDispatcher target = dispatcher.get();
      if (closed || target == null) {
        if (reply != null) {
          reply.completeExceptionally(closed ? new ConnectionLostException(self, "the bridge connection is closed")
              : new RemoteCallException(self, RemoteErrorCode.UNKNOWN_MODULE, null, "node " + self
                  + " serves no modules", null));
        }
        return reply;
      }
      byte[] arguments;
      try {
        arguments = codec.valueBytes(request.arguments());
      } catch (JacksonException e) {
        if (reply != null) {
          reply.completeExceptionally(new RemoteCallException(self, RemoteErrorCode.BAD_ARGUMENTS, null,
              "arguments cannot be encoded: " + e.getOriginalMessage(), null));
        }
        return reply;
      }
      int id = 0;
      if (reply != null) {
        id = nextId();
        waiting.put(id, reply);
      }
      int deadlineMillis = request.deadline() == null ? 0
          : (int) Math.max(1, Math.min(Integer.MAX_VALUE, request.deadline().toMillis()));
      RequestEnvelope envelope = new RequestEnvelope(id, reply != null, selection(request.pick()), request.modKey(),
          request.module(), request.instanceName(), request.command(), deadlineMillis);
      target.dispatch(new InboundRequest(envelope, new Payload(arguments, 0, arguments.length), clock.nanoTime()),
          this);
      return reply;
    }

    private int nextId() {
      int id;
      do {
        id = ids.incrementAndGet();
      } while (id == 0 || waiting.containsKey(id));
      return id;
    }

    private static InstanceSelection selection(BridgeRequest.Pick pick) {
      return switch (pick) {
        case BALANCE -> InstanceSelection.BALANCE;
        case MOD -> InstanceSelection.MOD;
        case BROADCAST -> InstanceSelection.BROADCAST;
      };
    }

    @Override
    @SuppressWarnings("unchecked")
    public void replyOk(int requestId, PayloadCodec codec, ObjectWriter writer, Object result) {
      JsonNode tree;
      try {
        byte[] bytes = writer.writeValueAsBytes(result);
        tree = codec.readValue(new Payload(bytes, 0, bytes.length), treeReader);
      } catch (JacksonException e) {
        throw new IllegalArgumentException("cannot be encoded: " + e.getOriginalMessage(), e);
      }
      CompletableFuture<JsonNode> reply = (CompletableFuture<JsonNode>) waiting.remove(requestId);
      if (reply != null) {
        reply.complete(tree);
      }
    }

    @Override
    public void replyError(int requestId, PayloadCodec codec, RemoteError error) {
      CompletableFuture<?> reply = waiting.remove(requestId);
      if (reply != null) {
        reply.completeExceptionally(error.toException(self));
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void replyBroadcast(int requestId, PayloadCodec codec, List<BroadcastItem> items) {
      List<InstanceReply<JsonNode>> replies = new ArrayList<>(items.size());
      for (BroadcastItem item : items) {
        if (item.status() == ResponseStatus.OK) {
          replies.add(new InstanceReply<>(item.index(), item.instanceName(), codec.readValue(item.body(), treeReader),
              null));
        } else {
          replies.add(new InstanceReply<>(item.index(), item.instanceName(), null,
              codec.readControl(item.body(), RemoteError.class).toException(self)));
        }
      }
      CompletableFuture<List<InstanceReply<JsonNode>>> reply =
          (CompletableFuture<List<InstanceReply<JsonNode>>>) waiting.remove(requestId);
      if (reply != null) {
        reply.complete(replies);
      }
    }

    @Override
    public NodeId peer() {
      return peer;
    }

    @Override
    public String peerText() {
      return peerText;
    }

    @Override
    public ByteBufAllocator alloc() {
      return ByteBufAllocator.DEFAULT;
    }

    @Override
    public int maxMessageSize() {
      return Integer.MAX_VALUE;
    }

    @Override
    public long queuedBytes() {
      return subscriber == null ? 0 : subscriber.queuedBytes();
    }

    @Override
    public void write(ByteBuf frame) {
      // every reply is taken as a value above; nothing else is sent to a bridge peer
      frame.release();
      throw new IllegalStateException("a bridge connection carries replies only");
    }

    @Override
    public void execute(Runnable task) {
      thread.execute(task);
    }

    @Override
    public void track(int requestId, Runnable onCancel) {
      if (closed) {
        execute(onCancel);
        return;
      }
      cancellable.put(requestId, onCancel);
      if (closed && cancellable.remove(requestId, onCancel)) {
        execute(onCancel);
      }
    }

    @Override
    public void untrack(int requestId, Runnable onCancel) {
      cancellable.remove(requestId, onCancel);
    }

    @Override
    public void close() {
      closed = true;
      if (subscriptions != null) {
        subscriptions.closed();
      }
      for (Integer id : List.copyOf(cancellable.keySet())) {
        Runnable onCancel = cancellable.remove(id);
        if (onCancel != null) {
          execute(onCancel);
        }
      }
      // a cancelled request is never answered: nobody waits for it any more
      for (Integer id : List.copyOf(waiting.keySet())) {
        CompletableFuture<?> reply = waiting.remove(id);
        if (reply != null) {
          reply.completeExceptionally(new ConnectionLostException(self, "the bridge connection closed", true));
        }
      }
    }
  }
}
