package io.frpc;

import io.frpc.internal.protocol.InstanceSelection;
import io.frpc.internal.routing.CallExecutor;
import io.frpc.internal.routing.CallTarget;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import tools.jackson.core.type.TypeReference;

/**
 * A call to one instance on every connected node of a name. The result holds each node's reply and
 * each node's failure; a partial failure never hides the successes.
 */
public final class AllNodesCall {

  private final CallExecutor executor;
  private final CallTarget target;

  AllNodesCall(CallExecutor executor, CallTarget target) {
    this.executor = executor;
    this.target = target;
  }

  /** Restricts the instance choice on each node to instances named {@code name}. */
  public AllNodesCall instance(String name) {
    return new AllNodesCall(executor, target.withInstanceName(name));
  }

  /** Round-robin over each node's instances (the default). */
  public AllNodesCall balance() {
    return new AllNodesCall(executor, target.withSelection(InstanceSelection.BALANCE, 0));
  }

  /** On each node, the instance at {@code key mod count} of the instances serving the command. */
  public AllNodesCall mod(long key) {
    return new AllNodesCall(executor, target.withSelection(InstanceSelection.MOD, key));
  }

  /** Every instance on every node. */
  public AllNodesBroadcastCall broadcast() {
    return new AllNodesBroadcastCall(executor, target.withSelection(InstanceSelection.BROADCAST, 0));
  }

  /** Overrides {@code frpc.client.call-timeout} for each node's call. */
  public AllNodesCall timeout(Duration timeout) {
    return new AllNodesCall(executor, target.withTimeout(timeout));
  }

  /**
   * Runs {@code command} on every connected node and waits for all of them.
   *
   * @throws NoNodeConnectedException when no node of the name connected within the connect wait
   */
  public <T> AllNodesReply<T> call(String command, Class<T> resultType, Object... args) {
    return executor.callAll(target, command, args, executor.valueDecoder(resultType));
  }

  /** Like {@link #call(String, Class, Object...)} for generic result types. */
  public <T> AllNodesReply<T> call(String command, TypeReference<T> resultType, Object... args) {
    return executor.callAll(target, command, args, executor.valueDecoder(resultType.getType()));
  }

  /** Runs {@code command} on every connected node without blocking. */
  public <T> CompletableFuture<AllNodesReply<T>> callAsync(String command, Class<T> resultType, Object... args) {
    return executor.callAllAsync(target, command, args, executor.valueDecoder(resultType));
  }

  /** Like {@link #callAsync(String, Class, Object...)} for generic result types. */
  public <T> CompletableFuture<AllNodesReply<T>> callAsync(String command, TypeReference<T> resultType,
      Object... args) {
    return executor.callAllAsync(target, command, args, executor.valueDecoder(resultType.getType()));
  }

  /**
   * Sends {@code command} to every connected node without blocking; the reply lists the nodes it could
   * not be written to. Remote outcomes are not reported.
   */
  public CompletableFuture<AllNodesReply<Void>> send(String command, Object... args) {
    return executor.sendAll(target, command, args);
  }
}
