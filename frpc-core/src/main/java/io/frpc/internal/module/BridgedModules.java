package io.frpc.internal.module;

import io.frpc.ConnectionLostException;
import io.frpc.InstanceReply;
import io.frpc.NodeId;
import io.frpc.RemoteCallException;
import io.frpc.RemoteErrorCode;
import io.frpc.bridge.BridgeConnection;
import io.frpc.bridge.BridgeRequest;
import io.frpc.bridge.ModuleBridge;
import io.frpc.internal.protocol.BroadcastItem;
import io.frpc.internal.protocol.InboundRequest;
import io.frpc.internal.protocol.InstanceSelection;
import io.frpc.internal.protocol.Payload;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.internal.protocol.RemoteError;
import io.frpc.internal.protocol.RequestEnvelope;
import io.frpc.internal.protocol.ResponseStatus;
import io.frpc.internal.transport.ServedConnection;
import io.frpc.time.FrpcClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * The {@link ModuleBridge} of a node: a bridge connection is a {@link ServedConnection} whose replies complete
 * futures instead of being written, so its requests take the dispatcher's path exactly as frpc requests do.
 */
public final class BridgedModules implements ModuleBridge {

  private final NodeId self;
  private final Supplier<RequestDispatcher> dispatcher;
  private final PayloadCodec codec;
  private final FrpcClock clock;
  private final ObjectReader treeReader;

  /**
   * @param self       this node, named in the exceptions of failed requests
   * @param dispatcher the node's dispatcher, or {@code null} while it serves nothing
   */
  public BridgedModules(NodeId self, Supplier<RequestDispatcher> dispatcher, PayloadCodec codec, FrpcClock clock) {
    this.self = self;
    this.dispatcher = dispatcher;
    this.codec = codec;
    this.clock = clock;
    this.treeReader = codec.reader(JsonNode.class);
  }

  @Override
  public BridgeConnection connect(NodeId peer, Executor connection) {
    return new Connection(peer, connection);
  }

  private final class Connection implements BridgeConnection, ServedConnection {
    private final NodeId peer;
    private final String peerText;
    private final Executor thread;
    /** Request ids of this connection; 0 is a send's. */
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<?>> waiting = new ConcurrentHashMap<>();
    private final Map<Integer, Runnable> cancellable = new ConcurrentHashMap<>();
    private volatile boolean closed;

    Connection(NodeId peer, Executor thread) {
      this.peer = peer;
      this.peerText = peer.toString();
      this.thread = thread;
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
      return 0;
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
