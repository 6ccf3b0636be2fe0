package io.frpc.internal.routing;

import io.frpc.AllNodesReply;
import io.frpc.AuthenticationException;
import io.frpc.FrpcException;
import io.frpc.InstanceReply;
import io.frpc.MessageTooLargeException;
import io.frpc.NoNodeConnectedException;
import io.frpc.UnknownNodeNameException;
import io.frpc.internal.UntrustedText;
import io.frpc.internal.protocol.Frames;
import io.frpc.internal.protocol.InboundResponse;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.internal.protocol.RequestEnvelope;
import io.frpc.internal.routing.NodeChoice.Route;
import io.frpc.internal.transport.OutgoingConnection;
import io.frpc.internal.protocol.FrameType;
import io.frpc.observability.FrpcObserver;
import io.frpc.observability.FrpcTracer;
import io.netty.buffer.ByteBuf;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * Runs calls and sends for {@code FrpcTemplate}: picks the node(s), waits for one to connect when
 * needed, encodes the request once on the calling thread (once for all nodes of an {@code all} call), and
 * decodes the reply on the calling thread (a synchronous call to one node) or on a callback thread
 * (everything else) — with direct completion on the I/O thread that read it.
 */
public final class CallExecutor {

  private static final Logger log = LoggerFactory.getLogger(CallExecutor.class);
  private static final Object[] NO_ARGS = new Object[0];
  /** Extra time a synchronous caller waits beyond the deadline the timer enforces. */
  private static final long GRACE_MILLIS = 5_000;

  private final RemoteNodes client;
  private final PayloadCodec codec;
  private final Instrumentation instrumentation;
  private final NodeChoice nodeChoice;
  private final Map<Type, ReplyDecoder<?>> valueDecoders = new ConcurrentHashMap<>();
  private final Map<Type, ReplyDecoder<?>> broadcastDecoders = new ConcurrentHashMap<>();

  public CallExecutor(RemoteNodes client, PayloadCodec codec, FrpcObserver observer, FrpcTracer tracer) {
    this.client = client;
    this.codec = codec;
    this.instrumentation = new Instrumentation(observer, tracer, client.clock());
    this.nodeChoice = new NodeChoice(client.settings().loadBalancing());
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
    checkCommand(command);
    client.checkMayBlock();
    Instrumentation.Call call = instrumentation.start(target, command);
    try {
      Route route = await(routeFor(target), client.settings().connectWait());
      OutgoingConnection connection = route.connection();
      InboundResponse response = await(invoke(route, target, command, args, call.traceContext()), timeout(target));
      R result = decoder.decode(connection.node().id(), response);
      call.called(null);
      return result;
    } catch (RuntimeException e) {
      call.called(e);
      throw e;
    }
  }

  /**
   * Calls one node; the future completes on a callback thread, or with direct completion on the I/O thread
   * that read the reply.
   */
  public <R> CompletableFuture<R> callAsync(CallTarget target, String command, Object[] args,
      ReplyDecoder<R> decoder) {
    checkCommand(command);
    Instrumentation.Call call = instrumentation.start(target, command);
    NodeGroup group = client.group(target.nodeName());
    Route ready = nodeChoice.choose(group, target);
    if (ready != null) {
      // the common case, a node connected: no future to compose the route with
      CompletableFuture<R> result;
      try {
        result = invokeAndDecode(ready, target, command, args, call.traceContext(), decoder);
      } catch (RuntimeException e) {
        result = CompletableFuture.failedFuture(e);
      }
      return call.calling(result);
    }
    return call.calling(awaitRoute(group, target).thenCompose(route -> invokeAndDecode(route, target, command, args,
        call.traceContext(), decoder)));
  }

  private <R> CompletableFuture<R> invokeAndDecode(Route route, CallTarget target, String command, Object[] args,
      String traceContext, ReplyDecoder<R> decoder) {
    return completed(invoke(route, target, command, args, traceContext),
        response -> decoder.decode(route.connection().node().id(), response));
  }

  /**
   * Decodes a reply where asynchronous calls complete: on a callback thread, or with direct completion on the
   * thread that completed {@code response} (the I/O thread that read it).
   */
  private <R> CompletableFuture<R> completed(CompletableFuture<InboundResponse> response,
      Function<InboundResponse, R> decode) {
    return client.settings().directCompletion() ? response.thenApply(decode)
        : response.thenApplyAsync(decode, client.callbacks());
  }

  /**
   * Sends to one node without waiting for anything: the future completes once the message is written,
   * and fails (and is logged) when no node connects within the connect wait or the write fails. What the
   * command does on the remote node is not reported back.
   */
  public CompletableFuture<Void> send(CallTarget target, String command, Object[] args) {
    checkCommand(command);
    Instrumentation.Call send = instrumentation.start(target, command);
    return send.sending(logFailure(routeFor(target).thenCompose(route -> route.connection().send(
        checked(route.connection(), encode(route, target, command, args, false, send.traceContext())))), target,
        command));
  }

  /** Calls every connected node of the name and waits for all replies or failures. */
  public <R> AllNodesReply<R> callAll(CallTarget target, String command, Object[] args, ReplyDecoder<R> decoder) {
    client.checkMayBlock();
    return await(callAllAsync(target, command, args, decoder),
        client.settings().connectWait().plus(timeout(target)));
  }

  /** Calls every connected node of the name; the future completes where {@link #callAsync}'s do. */
  public <R> CompletableFuture<AllNodesReply<R>> callAllAsync(CallTarget target, String command, Object[] args,
      ReplyDecoder<R> decoder) {
    checkCommand(command);
    Instrumentation.Call call = instrumentation.startForAll(target, command);
    return call.calling(allConnections(target).thenCompose(connections -> collect(target, connections,
        toEach(connections, target, command, args, true, call.traceContext(), (connection, frame) ->
            instrumentation.measureCall(completed(connection.call(frame, timeout(target), target.module(), command),
                response -> decoder.decode(connection.node().id(), response)),
                target, command)))));
  }

  /**
   * Sends to every connected node of the name without blocking; the reply lists where the send could
   * not be written.
   */
  public CompletableFuture<AllNodesReply<Void>> sendAll(CallTarget target, String command, Object[] args) {
    checkCommand(command);
    Instrumentation.Call send = instrumentation.startForAll(target, command);
    return send.sending(logFailure(allConnections(target).thenCompose(connections -> collect(target, connections,
        toEach(connections, target, command, args, false, send.traceContext(), (connection, frame) ->
            instrumentation.measureSend(connection.send(frame), target, command)))), target, command));
  }

  /**
   * Encodes the request once and hands each connection its own copy of the bytes (each patches its own
   * request id into it); a node whose limit the message exceeds fails on its own.
   */
  private <R> List<CompletableFuture<R>> toEach(OutgoingConnection[] connections, CallTarget target, String command,
      Object[] args, boolean replyWanted, String traceContext,
      BiFunction<OutgoingConnection, ByteBuf, CompletableFuture<R>> write) {
    List<CompletableFuture<R>> results = new ArrayList<>(connections.length);
    if (connections.length == 0) {
      return results;
    }
    // one encoding for all: the trace context goes along only if every node understands it
    String traced = traceContext != null
        && Arrays.stream(connections).allMatch(c -> c.supports(FrameType.FEATURE_TRACE)) ? traceContext : null;
    ByteBuf encoded = encode(new Route(connections[0], target.modKey()), target, command, args, replyWanted, traced);
    try {
      for (OutgoingConnection connection : connections) {
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

  private <R> CompletableFuture<AllNodesReply<R>> collect(CallTarget target, OutgoingConnection[] connections,
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
            UntrustedText.escape(unwrap(error).getMessage()));
      }
    });
  }

  /**
   * Picks the node of a one-node call, waiting for one to connect when none is. Fails at once for a name
   * discovery can never report.
   */
  private CompletableFuture<Route> routeFor(CallTarget target) {
    NodeGroup group = client.group(target.nodeName());
    Route ready = nodeChoice.choose(group, target);
    return ready != null ? CompletableFuture.completedFuture(ready) : awaitRoute(group, target);
  }

  /** Waits for a node of the group to connect and picks the route then. */
  private CompletableFuture<Route> awaitRoute(NodeGroup group, CallTarget target) {
    return awaitAny(group, target).thenApply(connected -> {
      Route selected = nodeChoice.choose(group, target);
      return selected != null ? selected : new Route(connected, target.modKey());
    });
  }

  private CompletableFuture<OutgoingConnection> awaitAny(NodeGroup group, CallTarget target) {
    String unknown = client.explainUnknownName(target.nodeName());
    if (unknown != null) {
      return CompletableFuture.failedFuture(new UnknownNodeNameException(target.nodeName(), target.nodeId(),
          unknown));
    }
    AuthenticationException denied = client.authenticationFailure(target.nodeName(), target.nodeId());
    if (denied != null) {
      return CompletableFuture.failedFuture(denied);
    }
    NoNodeConnectedException down = client.shutDown(target.nodeName(), target.nodeId());
    if (down != null) {
      return CompletableFuture.failedFuture(down);
    }
    // A node that refused authentication while the caller waited: say so, rather than "no node connected".
    return group.await(target.nodeId(), client.settings().connectWait(), client.clock())
        .exceptionallyCompose(noNode -> {
          AuthenticationException refused = client.authenticationFailure(target.nodeName(), target.nodeId());
          String lastFailure = client.lastFailure(target.nodeName(), target.nodeId());
          Throwable failure = refused != null ? refused : lastFailure == null ? noNode
              : new NoNodeConnectedException(target.nodeName(), target.nodeId(), client.settings().connectWait(),
                  lastFailure);
          return CompletableFuture.failedFuture(failure);
        });
  }

  private CompletableFuture<OutgoingConnection[]> allConnections(CallTarget target) {
    NodeGroup group = client.group(target.nodeName());
    OutgoingConnection[] connections = group.all();
    if (connections.length > 0) {
      return CompletableFuture.completedFuture(connections);
    }
    return awaitAny(group, target).thenApply(any -> group.all());
  }

  private CompletableFuture<InboundResponse> invoke(Route route, CallTarget target, String command, Object[] args,
      String traceContext) {
    ByteBuf frame = checked(route.connection(), encode(route, target, command, args, true, traceContext));
    return route.connection().call(frame, timeout(target), target.module(), command);
  }

  /** Encodes a request; {@code traceContext} is sent when not null and the node understands it. */
  private ByteBuf encode(Route route, CallTarget target, String command, Object[] args, boolean replyWanted,
      String traceContext) {
    RequestEnvelope envelope = new RequestEnvelope(0, replyWanted, target.selection(), route.instanceKey(),
        target.module(), target.instanceName(), command, replyWanted ? (int) timeout(target).toMillis() : 0,
        traceContext != null && route.connection().supports(FrameType.FEATURE_TRACE) ? traceContext : null);
    try {
      return Frames.request(route.connection().alloc(), envelope, codec, args == null ? NO_ARGS : args);
    } catch (JacksonException e) {
      throw new FrpcException("arguments of " + target.module() + "." + command + " cannot be encoded: "
          + e.getOriginalMessage(), e);
    }
  }

  /** The frame, if the connection's peer accepts its size; otherwise releases it and throws. */
  private static ByteBuf checked(OutgoingConnection connection, ByteBuf frame) {
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

  private static void checkCommand(String command) {
    if (command == null || command.isEmpty()) {
      throw new IllegalArgumentException("command must not be empty");
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
