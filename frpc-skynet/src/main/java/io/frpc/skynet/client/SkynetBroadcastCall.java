package io.frpc.skynet.client;

import io.frpc.skynet.internal.client.CallTarget;
import io.frpc.skynet.internal.client.SkynetCalls;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tools.jackson.core.type.TypeReference;

/**
 * A call to every instance of a module on one node ({@code broadcast} 102 / {@code broadcast_call} 202, or 105 /
 * 205 with {@link #instance}). The result maps each instance's skynet service address to the first value it
 * returned. skynet_fly fails the whole call when one instance fails. Immutable.
 */
public final class SkynetBroadcastCall {

  private final SkynetCalls calls;
  private final CallTarget target;

  SkynetBroadcastCall(SkynetCalls calls, CallTarget target) {
    this.calls = calls;
    this.target = target;
  }

  /** Calls node {@code svrId} only. */
  public SkynetBroadcastCall node(int svrId) {
    return new SkynetBroadcastCall(calls, target.withNodeId(svrId));
  }

  /** Broadcasts on every active node of the name. */
  public SkynetAllNodesBroadcastCall allNodes() {
    return new SkynetAllNodesBroadcastCall(calls, target.withAllNodes());
  }

  /** Only the instances named {@code name}. */
  public SkynetBroadcastCall instance(String name) {
    return new SkynetBroadcastCall(calls, target.withInstanceName(name));
  }

  /** How long the call waits for its response once sent: 5 seconds by default. */
  public SkynetBroadcastCall timeout(Duration timeout) {
    return new SkynetBroadcastCall(calls, target.withTimeout(timeout));
  }

  /**
   * Runs {@code command} on every instance: each instance's first returned value bound to {@code resultType}, by
   * the instance's skynet address (an unsigned 32-bit handle, kept as its 32 bits), in ascending order.
   */
  public <T> Map<Integer, T> call(String command, Class<T> resultType, Object... args) {
    return SkynetCalls.await(callAsync(command, resultType, args));
  }

  /** {@link #call(String, Class, Object...)} for a generic result type. */
  public <T> Map<Integer, T> call(String command, TypeReference<T> resultType, Object... args) {
    return SkynetCalls.await(callAsync(command, resultType, args));
  }

  /** {@link #call(String, Class, Object...)} without blocking. */
  public <T> CompletableFuture<Map<Integer, T>> callAsync(String command, Class<T> resultType, Object... args) {
    return calls.call(target, command, args,
        calls.broadcast(resultType, value -> calls.binding().toJava(value, resultType)));
  }

  /** {@link #call(String, TypeReference, Object...)} without blocking. */
  public <T> CompletableFuture<Map<Integer, T>> callAsync(String command, TypeReference<T> resultType,
      Object... args) {
    return calls.call(target, command, args,
        calls.broadcast(resultType.getType(), value -> calls.binding().toJava(value, resultType)));
  }

  /** Sends {@code command} to every instance, with no response; see {@link SkynetModuleCall#send}. */
  public CompletableFuture<Void> send(String command, Object... args) {
    return calls.send(target, command, args);
  }
}
