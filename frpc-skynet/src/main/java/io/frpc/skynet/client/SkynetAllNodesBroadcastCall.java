package io.frpc.skynet.client;

import io.frpc.AllNodesReply;
import io.frpc.skynet.internal.client.CallTarget;
import io.frpc.skynet.internal.client.SkynetCalls;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tools.jackson.core.type.TypeReference;

/**
 * A call to every instance of a module on every active node of a name: per node, the instances' first values by
 * skynet address, or the node's failure. Immutable.
 */
public final class SkynetAllNodesBroadcastCall {

  private final SkynetCalls calls;
  private final CallTarget target;

  SkynetAllNodesBroadcastCall(SkynetCalls calls, CallTarget target) {
    this.calls = calls;
    this.target = target;
  }

  /** Only the instances named {@code name}, on each node. */
  public SkynetAllNodesBroadcastCall instance(String name) {
    return new SkynetAllNodesBroadcastCall(calls, target.withInstanceName(name));
  }

  /** How long each node's call waits for its response once sent: 5 seconds by default. */
  public SkynetAllNodesBroadcastCall timeout(Duration timeout) {
    return new SkynetAllNodesBroadcastCall(calls, target.withTimeout(timeout));
  }

  /** Runs {@code command} on every instance of every active node; see {@link SkynetBroadcastCall#call}. */
  public <T> AllNodesReply<Map<Integer, T>> call(String command, Class<T> resultType, Object... args) {
    return SkynetCalls.await(callAsync(command, resultType, args));
  }

  /** {@link #call(String, Class, Object...)} for a generic result type. */
  public <T> AllNodesReply<Map<Integer, T>> call(String command, TypeReference<T> resultType, Object... args) {
    return SkynetCalls.await(callAsync(command, resultType, args));
  }

  /** {@link #call(String, Class, Object...)} without blocking. */
  public <T> CompletableFuture<AllNodesReply<Map<Integer, T>>> callAsync(String command, Class<T> resultType,
      Object... args) {
    return calls.callAll(target, command, args,
        calls.broadcast(resultType, value -> calls.binding().toJava(value, resultType)));
  }

  /** {@link #call(String, TypeReference, Object...)} without blocking. */
  public <T> CompletableFuture<AllNodesReply<Map<Integer, T>>> callAsync(String command,
      TypeReference<T> resultType, Object... args) {
    return calls.callAll(target, command, args,
        calls.broadcast(resultType.getType(), value -> calls.binding().toJava(value, resultType)));
  }

  /** Sends {@code command} to every instance of every active node. */
  public CompletableFuture<AllNodesReply<Void>> send(String command, Object... args) {
    return calls.sendAll(target, command, args);
  }
}
