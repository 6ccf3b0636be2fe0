package io.frpc.routing;

import io.frpc.AllNodesReply;
import io.frpc.FrpcException;
import io.frpc.InstanceReply;
import io.frpc.MessageTooLargeException;
import io.frpc.protocol.Frames;
import io.frpc.protocol.InboundResponse;
import io.frpc.protocol.InstanceSelection;
import io.frpc.protocol.PayloadCodec;
import io.frpc.protocol.RequestEnvelope;
import io.frpc.transport.NodeConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * Runs calls and sends for {@code FrpcTemplate}: picks the node(s), waits for one to connect when
 * needed, encodes the request once on the calling thread (once for all nodes of an {@code all} call), and
 * decodes the reply on the calling thread (a synchronous call to one node) or on a callback thread
 * (everything else), never on an I/O thread.
 */
public final class CallExecutor {

  private static final Logger log = LoggerFactory.getLogger(CallExecutor.class);
  private static final Object[] NO_ARGS = new Object[0];
  /** Extra time a synchronous caller waits beyond the deadline the timer enforces. */
  private static final long GRACE_MILLIS = 5_000;

  private final FrpcClient client;
  private final PayloadCodec codec;
  private final Map<Type, ReplyDecoder<?>> valueDecoders = new ConcurrentHashMap<>();
  private final Map<Type, ReplyDecoder<?>> broadcastDecoders = new ConcurrentHashMap<>();

  public CallExecutor(FrpcClient client, PayloadCodec codec) {
    this.client = client;
    this.codec = codec;
  }

  /** Decoder of a single value of {@code type}; one per type, resolved on first use. */
  @SuppressWarnings("unchecked")
  public <T> ReplyDecoder<T> valueDecoder(Type type) {
    return (ReplyDecoder<T>) valueDecoders.computeIfAbsent(type, t -> ReplyDecoder.value(codec, codec.reader(t)));
  }

  /** Decoder of a broadcast reply whose values are of {@code type}; one per type. */
  @SuppressWarnings("unchecked")
  public <T> ReplyDecoder<List<InstanceReply<T>>> broadcastDecoder(Type type) {
    return (ReplyDecoder<List<InstanceReply<T>>>) broadcastDecoders.computeIfAbsent(type,
        t -> ReplyDecoder.broadcast(codec, codec.reader(t)));
  }

  /** Calls one node and waits for the reply. */
  public <R> R call(CallTarget target, String command, Object[] args, ReplyDecoder<R> decoder) {
    NodeConnection connection = await(connectionFor(target), client.settings().connectWait());
    InboundResponse response = await(invoke(connection, target, command, args), timeout(target));
    return decoder.decode(connection.node().id(), response);
  }

  /** Calls one node; the future completes on a callback thread, never an I/O thread. */
  public <R> CompletableFuture<R> callAsync(CallTarget target, String command, Object[] args,
      ReplyDecoder<R> decoder) {
    return connectionFor(target).thenCompose(connection -> invoke(connection, target, command, args)
        .thenApplyAsync(response -> decoder.decode(connection.node().id(), response), client.callbacks()));
  }

  /** Sends to one node without waiting for a reply; failures are logged and complete the future. */
  public CompletableFuture<Void> send(CallTarget target, String command, Object[] args) {
    CompletableFuture<Void> written;
    try {
      NodeConnection connection = await(connectionFor(target), client.settings().connectWait());
      written = connection.send(checked(connection, encode(connection.alloc(), target, command, args, false)));
    } catch (FrpcException e) {
      written = CompletableFuture.failedFuture(e);
    }
    return logFailure(written, target, command);
  }

  /** Calls every connected node of the name and waits for all replies or failures. */
  public <R> AllNodesReply<R> callAll(CallTarget target, String command, Object[] args, ReplyDecoder<R> decoder) {
    return await(callAllAsync(target, command, args, decoder),
        client.settings().connectWait().plus(timeout(target)));
  }

  /** Calls every connected node of the name; the future completes on a callback thread. */
  public <R> CompletableFuture<AllNodesReply<R>> callAllAsync(CallTarget target, String command, Object[] args,
      ReplyDecoder<R> decoder) {
    return allConnectionsAsync(target).thenCompose(connections -> collect(target, connections,
        toEach(connections, target, command, args, true, (connection, frame) ->
            connection.call(frame, timeout(target), target.module(), command).thenApplyAsync(
                response -> decoder.decode(connection.node().id(), response), client.callbacks()))));
  }

  /** Sends to every connected node of the name; the reply lists where the send could not be written. */
  public CompletableFuture<AllNodesReply<Void>> sendAll(CallTarget target, String command, Object[] args) {
    CompletableFuture<AllNodesReply<Void>> sent;
    try {
      NodeConnection[] connections = allConnections(target);
      sent = collect(target, connections, toEach(connections, target, command, args, false, NodeConnection::send));
    } catch (FrpcException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return logFailure(sent, target, command);
  }

  /**
   * Encodes the request once and hands each connection its own copy of the bytes (each patches its own
   * request id into it); a node whose limit the message exceeds fails on its own.
   */
  private <R> List<CompletableFuture<R>> toEach(NodeConnection[] connections, CallTarget target, String command,
      Object[] args, boolean replyWanted, BiFunction<NodeConnection, ByteBuf, CompletableFuture<R>> write) {
    List<CompletableFuture<R>> results = new ArrayList<>(connections.length);
    if (connections.length == 0) {
      return results;
    }
    ByteBuf encoded = encode(connections[0].alloc(), target, command, args, replyWanted);
    try {
      for (NodeConnection connection : connections) {
        CompletableFuture<R> result;
        try {
          result = write.apply(connection, checked(connection, encoded.copy()));
        } catch (FrpcException e) {
          result = CompletableFuture.failedFuture(e);
        }
        results.add(result);
      }
    } finally {
      encoded.release();
    }
    return results;
  }

  private <R> CompletableFuture<AllNodesReply<R>> collect(CallTarget target, NodeConnection[] connections,
      List<CompletableFuture<R>> results) {
    return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).handle((ignored, error) -> {
      SortedMap<Integer, R> values = new TreeMap<>();
      SortedMap<Integer, FrpcException> failures = new TreeMap<>();
      for (int i = 0; i < connections.length; i++) {
        int id = connections[i].node().id().id();
        try {
          values.put(id, results.get(i).join());
        } catch (CompletionException e) {
          failures.put(id, asFrpcException(e));
        }
      }
      return new AllNodesReply<>(target.nodeName(), values, failures);
    });
  }

  private <T> CompletableFuture<T> logFailure(CompletableFuture<T> sent, CallTarget target, String command) {
    return sent.whenComplete((ok, error) -> {
      if (error != null) {
        log.warn("Send {}.{} to {} failed: {}", target.module(), command, target.nodeName(),
            unwrap(error).getMessage());
      }
    });
  }

  private CompletableFuture<NodeConnection> connectionFor(CallTarget target) {
    NodeGroup group = client.group(target.nodeName());
    NodeConnection ready = select(group, target);
    if (ready != null) {
      return CompletableFuture.completedFuture(ready);
    }
    return group.await(target.nodeId(), client.settings().connectWait(), client.timer()).thenApply(connected -> {
      NodeConnection selected = select(group, target);
      return selected != null ? selected : connected;
    });
  }

  private static NodeConnection select(NodeGroup group, CallTarget target) {
    if (target.nodeId() != null) {
      return group.byId(target.nodeId());
    }
    return target.selection() == InstanceSelection.MOD ? group.byKey(target.modKey()) : group.next();
  }

  private NodeConnection[] allConnections(CallTarget target) {
    NodeConnection[] connections = client.group(target.nodeName()).all();
    if (connections.length > 0) {
      return connections;
    }
    await(connectionFor(target), client.settings().connectWait());
    return client.group(target.nodeName()).all();
  }

  private CompletableFuture<NodeConnection[]> allConnectionsAsync(CallTarget target) {
    NodeGroup group = client.group(target.nodeName());
    NodeConnection[] connections = group.all();
    if (connections.length > 0) {
      return CompletableFuture.completedFuture(connections);
    }
    return connectionFor(target).thenApply(any -> group.all());
  }

  private CompletableFuture<InboundResponse> invoke(NodeConnection connection, CallTarget target, String command,
      Object[] args) {
    ByteBuf frame = checked(connection, encode(connection.alloc(), target, command, args, true));
    return connection.call(frame, timeout(target), target.module(), command);
  }

  private ByteBuf encode(ByteBufAllocator alloc, CallTarget target, String command, Object[] args,
      boolean replyWanted) {
    if (command == null || command.isEmpty()) {
      throw new IllegalArgumentException("command must not be empty");
    }
    RequestEnvelope envelope = new RequestEnvelope(0, replyWanted, target.selection(), target.modKey(),
        target.module(), target.instanceName(), command, replyWanted ? (int) timeout(target).toMillis() : 0);
    try {
      return Frames.request(alloc, envelope, codec, args == null ? NO_ARGS : args);
    } catch (JacksonException e) {
      throw new FrpcException("arguments of " + target.module() + "." + command + " cannot be encoded: "
          + e.getOriginalMessage(), e);
    }
  }

  /** The frame, if the connection's peer accepts its size; otherwise releases it and throws. */
  private static ByteBuf checked(NodeConnection connection, ByteBuf frame) {
    int size = Frames.messageSize(frame);
    if (size > connection.maxMessageSize()) {
      frame.release();
      throw new MessageTooLargeException(size, connection.maxMessageSize());
    }
    return frame;
  }

  private Duration timeout(CallTarget target) {
    return target.timeout() != null ? target.timeout() : client.settings().callTimeout();
  }

  private static <T> T await(CompletableFuture<T> future, Duration limit) {
    try {
      return future.get(limit.toMillis() + GRACE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw asFrpcException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(false);
      throw new FrpcException("interrupted while waiting", e);
    } catch (TimeoutException e) {
      throw new FrpcException("no answer within " + (limit.toMillis() + GRACE_MILLIS) + " ms", e);
    }
  }

  private static FrpcException asFrpcException(Throwable wrapper) {
    Throwable cause = unwrap(wrapper);
    return cause instanceof FrpcException frpc ? frpc : new FrpcException(String.valueOf(cause.getMessage()), cause);
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
