package io.frpc.skynet.client;

import io.frpc.AllNodesReply;
import io.frpc.skynet.internal.client.CallTarget;
import io.frpc.skynet.internal.client.CallTarget.Selection;
import io.frpc.skynet.internal.client.SkynetCalls;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import tools.jackson.core.type.TypeReference;

/**
 * A call to one instance of a module on every active node of a name (skynet_fly's mode all). The result holds each
 * node's result and each node's failure; a partial failure never hides the successes. Immutable.
 */
public final class SkynetAllNodesCall {

  private final SkynetCalls calls;
  private final CallTarget target;

  SkynetAllNodesCall(SkynetCalls calls, CallTarget target) {
    this.calls = calls;
    this.target = target;
  }

  /** Only instances named {@code name}, on each node. */
  public SkynetAllNodesCall instance(String name) {
    return new SkynetAllNodesCall(calls, target.withInstanceName(name));
  }

  /** Round-robin over each node's instances (the default). */
  public SkynetAllNodesCall balance() {
    return new SkynetAllNodesCall(calls, target.withSelection(Selection.BALANCE, 0));
  }

  /** On each node, the instance at {@code key % count}; see {@link SkynetModuleCall#mod}. */
  public SkynetAllNodesCall mod(long key) {
    return new SkynetAllNodesCall(calls, target.withSelection(Selection.MOD, key));
  }

  /** Every instance on every node. */
  public SkynetAllNodesBroadcastCall broadcast() {
    return new SkynetAllNodesBroadcastCall(calls, target.withSelection(Selection.BROADCAST, 0));
  }

  /** How long each node's call waits for its response once sent: 5 seconds by default. */
  public SkynetAllNodesCall timeout(Duration timeout) {
    return new SkynetAllNodesCall(calls, target.withTimeout(timeout));
  }

  /**
   * Runs {@code command} on every active node and waits for all of them.
   *
   * @throws io.frpc.NoNodeConnectedException no node of the name active within the connect wait
   */
  public <T> AllNodesReply<T> call(String command, Class<T> resultType, Object... args) {
    return SkynetCalls.await(callAsync(command, resultType, args));
  }

  /** {@link #call(String, Class, Object...)} for a generic result type. */
  public <T> AllNodesReply<T> call(String command, TypeReference<T> resultType, Object... args) {
    return SkynetCalls.await(callAsync(command, resultType, args));
  }

  /** Runs {@code command} on every active node; every value each node returned. */
  public AllNodesReply<LuaReply> callForReply(String command, Object... args) {
    return SkynetCalls.await(calls.callAll(target, command, args, LuaReply::new));
  }

  /** {@link #call(String, Class, Object...)} without blocking. */
  public <T> CompletableFuture<AllNodesReply<T>> callAsync(String command, Class<T> resultType, Object... args) {
    return calls.callAll(target, command, args,
        SkynetCalls.firstValue(resultType, value -> calls.binding().toJava(value, resultType)));
  }

  /** {@link #call(String, TypeReference, Object...)} without blocking. */
  public <T> CompletableFuture<AllNodesReply<T>> callAsync(String command, TypeReference<T> resultType,
      Object... args) {
    return calls.callAll(target, command, args,
        SkynetCalls.firstValue(resultType.getType(), value -> calls.binding().toJava(value, resultType)));
  }

  /** Sends {@code command} to every active node; the reply lists the nodes it could not be written to. */
  public CompletableFuture<AllNodesReply<Void>> send(String command, Object... args) {
    return calls.sendAll(target, command, args);
  }
}
