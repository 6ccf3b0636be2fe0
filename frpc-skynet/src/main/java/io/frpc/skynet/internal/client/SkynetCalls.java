package io.frpc.skynet.internal.client;

import io.frpc.AllNodesReply;
import io.frpc.CallTimeoutException;
import io.frpc.ConnectionLostException;
import io.frpc.FrpcException;
import io.frpc.NodeId;
import io.frpc.RemoteCallException;
import io.frpc.RemoteErrorCode;
import io.frpc.ReplyBindingException;
import io.frpc.skynet.LuaBinding;
import io.frpc.skynet.LuaInteger;
import io.frpc.skynet.LuaString;
import io.frpc.skynet.LuaTable;
import io.frpc.skynet.LuaValue;
import io.frpc.skynet.SkynetFormatException;
import io.frpc.skynet.SkynetPack;
import io.frpc.skynet.internal.frame.SkynetRequest;
import io.frpc.skynet.internal.frame.SkynetResponse;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.EncoderException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs calls and sends of a {@link CallTarget} on the connections of a {@link NodeConnections}: the payload is
 * {@code skynet.pack(command, args...)} (arguments bound by {@link LuaBinding}, Lua values as they are), every
 * request gets a fresh session of the client's counter, a call waits for its response at most its target's timeout
 * from the moment it is registered (then its session is forgotten, and a late response dropped). Replies are decoded
 * and futures completed on the callback executor, never on an I/O thread, so a continuation may block. Thread-safe.
 */
public final class SkynetCalls {

  /** Turns the values a node returned into the caller's result. */
  @FunctionalInterface
  public interface ReplyDecoder<R> {
    /** The result of the values {@code node} returned. */
    R decode(NodeId node, List<LuaValue> values);
  }

  /** How many sessions a call tries when the ones it drew are still pending on its connection. */
  private static final int SESSION_ATTEMPTS = 16;

  private final NodeConnections nodes;
  private final SkynetPack pack;
  private final LuaBinding binding;
  /** Where replies are decoded and every returned future completes. */
  private final Executor callbacks;
  /** Round-robin position per svr_name for calls to one node of the name. */
  private final Map<String, AtomicInteger> nextNode = new ConcurrentHashMap<>();

  /**
   * @param callbacks where replies are decoded and every future this returns completes: user code chained on them
   *                  never runs on an I/O thread
   */
  public SkynetCalls(NodeConnections nodes, SkynetPack pack, LuaBinding binding, Executor callbacks) {
    this.nodes = nodes;
    this.pack = pack;
    this.binding = binding;
    this.callbacks = callbacks;
  }

  /** {@code future}, completed on the callback executor whichever thread completes it. */
  private <T> CompletableFuture<T> onCallbacks(CompletableFuture<T> future) {
    CompletableFuture<T> handedOver = new CompletableFuture<>();
    future.whenCompleteAsync((value, failure) -> {
      if (failure != null) {
        handedOver.completeExceptionally(failure instanceof CompletionException
            && failure.getCause() != null ? failure.getCause() : failure);
      } else {
        handedOver.complete(value);
      }
    }, callbacks);
    return handedOver;
  }

  public LuaBinding binding() {
    return binding;
  }

  /** Calls one node of the target (round-robin over the active ones, or its node id). */
  public <R> CompletableFuture<R> call(CallTarget target, String command, Object[] args, ReplyDecoder<R> decoder) {
    byte[] payload;
    try {
      payload = payload(command, args);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return onCallbacks(nodes.awaitActive(target.svrName(), target.nodeId())
        .thenCompose(active -> callOn(pick(target, active), target, command, payload, decoder)));
  }

  /** Calls every active node of the target's name (after waiting for one); one result or failure per node. */
  public <R> CompletableFuture<AllNodesReply<R>> callAll(CallTarget target, String command, Object[] args,
      ReplyDecoder<R> decoder) {
    byte[] payload;
    try {
      payload = payload(command, args);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return onCallbacks(nodes.awaitActive(target.svrName(), null).thenCompose(active -> {
      List<CompletableFuture<R>> calls = new ArrayList<>();
      for (NodeConnection.Active node : active) {
        calls.add(callOn(node, target, command, payload, decoder));
      }
      return collect(target.svrName(), active, calls);
    }));
  }

  /** Sends to one node of the target; completes once written. */
  public CompletableFuture<Void> send(CallTarget target, String command, Object[] args) {
    byte[] payload;
    try {
      payload = payload(command, args);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return onCallbacks(nodes.awaitActive(target.svrName(), target.nodeId())
        .thenCompose(active -> sendOn(pick(target, active), target, payload)));
  }

  /** Sends to every active node of the target's name; the reply lists the nodes it could not be written to. */
  public CompletableFuture<AllNodesReply<Void>> sendAll(CallTarget target, String command, Object[] args) {
    byte[] payload;
    try {
      payload = payload(command, args);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return onCallbacks(nodes.awaitActive(target.svrName(), null).thenCompose(active -> {
      List<CompletableFuture<Void>> sends = new ArrayList<>();
      for (NodeConnection.Active node : active) {
        sends.add(sendOn(node, target, payload));
      }
      return collect(target.svrName(), active, sends);
    }));
  }

  /** A decoder binding the first returned value (nil when none) with {@code binder}. */
  public static <T> ReplyDecoder<T> firstValue(Type type, Function<LuaValue, T> binder) {
    return (node, values) -> bind(node, type, binder, values.isEmpty() ? LuaValue.nil() : values.get(0));
  }

  /**
   * A decoder of a broadcast call's reply: one table {instance address = a string holding the {@code skynet.pack}
   * of that instance's values}; each instance's first value bound with {@code binder}, by address.
   */
  public <T> ReplyDecoder<Map<Integer, T>> broadcast(Type type, Function<LuaValue, T> binder) {
    return (node, values) -> {
      if (values.isEmpty() || !(values.get(0) instanceof LuaTable table)) {
        throw new ReplyBindingException(node, type, "a broadcast reply is one table of instance address to packed"
            + " values, got " + values, null);
      }
      Map<LuaValue, LuaValue> entries = new java.util.LinkedHashMap<>(table.hash());
      for (int i = 0; i < table.array().size(); i++) {
        entries.put(LuaValue.of(i + 1), table.array().get(i));
      }
      SortedMap<Integer, T> replies = new TreeMap<>();
      for (Map.Entry<LuaValue, LuaValue> entry : entries.entrySet()) {
        if (!(entry.getKey() instanceof LuaInteger address) || !(entry.getValue() instanceof LuaString packed)) {
          throw new ReplyBindingException(node, type, "a broadcast reply entry is an instance address and a string"
              + " of packed values, got [" + entry.getKey() + "]=" + entry.getValue(), null);
        }
        List<LuaValue> instanceValues = unpack(node, packed.bytes());
        // a skynet address is an unsigned 32-bit handle; kept as its 32 bits
        replies.put((int) address.value(), bind(node, type, binder,
            instanceValues.isEmpty() ? LuaValue.nil() : instanceValues.get(0)));
      }
      return Collections.unmodifiableSortedMap(replies);
    };
  }

  /**
   * Waits for a future of this class and returns its value, throwing its failure as it is (not wrapped in a
   * {@link CompletionException}).
   */
  public static <T> T await(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new FrpcException(String.valueOf(e.getCause()), e.getCause());
    }
  }

  private static <T> T bind(NodeId node, Type type, Function<LuaValue, T> binder, LuaValue value) {
    try {
      return binder.apply(value);
    } catch (RuntimeException e) {
      throw new ReplyBindingException(node, type, e.getMessage(), e);
    }
  }

  private byte[] payload(String command, Object[] args) {
    List<LuaValue> values = new ArrayList<>(args.length + 1);
    values.add(LuaValue.of(command));
    for (Object arg : args) {
      values.add(arg instanceof LuaValue lua ? lua : binding.fromJava(arg));
    }
    return pack.pack(values);
  }

  private NodeConnection.Active pick(CallTarget target, List<NodeConnection.Active> active) {
    if (active.size() == 1) {
      return active.get(0);
    }
    int position = nextNode.computeIfAbsent(target.svrName(), name -> new AtomicInteger()).getAndIncrement();
    return active.get(Math.floorMod(position, active.size()));
  }

  private <R> CompletableFuture<R> callOn(NodeConnection.Active active, CallTarget target, String command,
      byte[] payload, ReplyDecoder<R> decoder) {
    ResponseDispatcher dispatcher = active.dispatcher();
    NodeId node = dispatcher.node();
    PendingCall call = null;
    for (int attempt = 0; attempt < SESSION_ATTEMPTS && call == null; attempt++) {
      PendingCall candidate = new PendingCall(nodes.sessions().next(), target.module(), command);
      if (dispatcher.add(candidate)) {
        call = candidate;
      } else if (dispatcher.isFull()) {
        return CompletableFuture.failedFuture(new FrpcException("skynet node " + node + " has "
            + nodes.settings().maxPendingCalls() + " calls awaiting their responses, the most one connection may"
            + " have (maxPendingCalls); call " + target.module() + "." + command + " not sent"));
      }
    }
    if (call == null) {
      return CompletableFuture.failedFuture(new FrpcException("no free session for a call to " + node));
    }
    PendingCall registered = call;
    call.deadline = nodes.clock().schedule(() -> {
      if (dispatcher.remove(registered)) {
        registered.response.completeExceptionally(
            new CallTimeoutException(node, target.module(), command, target.timeout()));
      }
    }, target.timeout().toNanos(), TimeUnit.NANOSECONDS);
    SkynetRequest request = new SkynetRequest(target.packId(true), target.module(),
        target.instanceName() == null ? "" : target.instanceName(), call.session, target.modKey(), true, payload);
    // The listener goes on the promise before the write: added after it, it could run after a close that followed
    // the write (notified as a task of its own), and the call would be taken for never sent.
    ChannelPromise promise = active.channel().newPromise();
    promise.addListener(written -> {
      if (written.isSuccess()) {
        registered.written = true;
      } else if (dispatcher.remove(registered)) {
        registered.response.completeExceptionally(writeFailure(node, written.cause()));
      }
    });
    active.channel().writeAndFlush(request, promise);
    CompletableFuture<R> result = new CompletableFuture<>();
    // decoding binds the reply to the caller's types: on the callback executor, not on the event loop
    call.response.whenCompleteAsync((response, failure) -> {
      if (failure != null) {
        result.completeExceptionally(failure);
        return;
      }
      try {
        result.complete(decoder.decode(node, values(node, response)));
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    }, callbacks);
    return result;
  }

  private CompletableFuture<Void> sendOn(NodeConnection.Active active, CallTarget target, byte[] payload) {
    NodeId node = active.dispatcher().node();
    SkynetRequest request = new SkynetRequest(target.packId(false), target.module(),
        target.instanceName() == null ? "" : target.instanceName(), nodes.sessions().next(), target.modKey(), false,
        payload);
    CompletableFuture<Void> sent = new CompletableFuture<>();
    active.channel().writeAndFlush(request).addListener(written -> {
      if (written.isSuccess()) {
        sent.complete(null);
      } else {
        sent.completeExceptionally(writeFailure(node, written.cause()));
      }
    });
    return sent;
  }

  /** The values of a successful response; a failed one as {@link RemoteCallException}. */
  private List<LuaValue> values(NodeId node, SkynetResponse response) {
    if (!response.ok()) {
      String text = new String(response.payload(), StandardCharsets.UTF_8);
      throw new RemoteCallException(node, errorCode(text), null, text, null);
    }
    return unpack(node, response.payload());
  }

  private List<LuaValue> unpack(NodeId node, byte[] bytes) {
    try {
      return pack.unpack(bytes);
    } catch (SkynetFormatException e) {
      throw new FrpcException("skynet node " + node + " answered with malformed skynet.pack data: "
          + e.getMessage(), e);
    }
  }

  /**
   * The code of skynet_fly's error texts: {@code " module_name not exists :<name>"} (a {@code _by_name} call to a
   * module the node does not serve), {@code "unknown pack_id = ..."}; anything else (mostly {@code "call err ..."},
   * where a failing command's own message is replaced by skynet's "call failed") is a failed command.
   */
  static RemoteErrorCode errorCode(String text) {
    if (text.contains("module_name not exists")) {
      return RemoteErrorCode.UNKNOWN_MODULE;
    }
    if (text.startsWith("unknown pack_id")) {
      return RemoteErrorCode.UNKNOWN;
    }
    return RemoteErrorCode.COMMAND_FAILED;
  }

  private static RuntimeException writeFailure(NodeId node, Throwable cause) {
    if (cause instanceof EncoderException && cause.getCause() instanceof IllegalArgumentException refused) {
      return refused;
    }
    return new ConnectionLostException(node, "the request could not be written: " + cause, false);
  }

  private static <R> CompletableFuture<AllNodesReply<R>> collect(String svrName, List<NodeConnection.Active> active,
      List<CompletableFuture<R>> futures) {
    return CompletableFuture.allOf(futures.stream().map(f -> f.handle((value, failure) -> null))
        .toArray(CompletableFuture[]::new)).thenApply(done -> {
          SortedMap<Integer, R> replies = new TreeMap<>();
          SortedMap<Integer, FrpcException> failures = new TreeMap<>();
          for (int i = 0; i < futures.size(); i++) {
            int id = active.get(i).dispatcher().node().id();
            try {
              replies.put(id, futures.get(i).join());
            } catch (CompletionException e) {
              failures.put(id, e.getCause() instanceof FrpcException frpc ? frpc
                  : new FrpcException(String.valueOf(e.getCause()), e.getCause()));
            }
          }
          return new AllNodesReply<>(svrName, replies, failures);
        });
  }
}
