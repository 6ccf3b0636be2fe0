package io.frpc;

import io.frpc.internal.routing.CallExecutor;
import io.frpc.internal.routing.CallTarget;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import tools.jackson.core.type.TypeReference;

/** A call to every instance on every connected node of a name. */
public final class AllNodesBroadcastCall {

  private final CallExecutor executor;
  private final CallTarget target;

  AllNodesBroadcastCall(CallExecutor executor, CallTarget target) {
    this.executor = executor;
    this.target = target;
  }

  /** Restricts the broadcast on each node to instances named {@code name}. */
  public AllNodesBroadcastCall instance(String name) {
    return new AllNodesBroadcastCall(executor, target.withInstanceName(name));
  }

  /** Overrides {@code frpc.client.call-timeout} for each node's call. */
  public AllNodesBroadcastCall timeout(Duration timeout) {
    return new AllNodesBroadcastCall(executor, target.withTimeout(timeout));
  }

  /** Runs {@code command} on every instance of every connected node. */
  public <T> AllNodesReply<List<InstanceReply<T>>> call(String command, Class<T> resultType, Object... args) {
    return executor.callAll(target, command, args, executor.broadcastDecoder(resultType));
  }

  /** Like {@link #call(String, Class, Object...)} for generic result types. */
  public <T> AllNodesReply<List<InstanceReply<T>>> call(String command, TypeReference<T> resultType,
      Object... args) {
    return executor.callAll(target, command, args, executor.broadcastDecoder(resultType.getType()));
  }

  /** Runs {@code command} on every instance of every connected node without blocking. */
  public <T> CompletableFuture<AllNodesReply<List<InstanceReply<T>>>> callAsync(String command,
      Class<T> resultType, Object... args) {
    return executor.callAllAsync(target, command, args, executor.broadcastDecoder(resultType));
  }

  /** Like {@link #callAsync(String, Class, Object...)} for generic result types. */
  public <T> CompletableFuture<AllNodesReply<List<InstanceReply<T>>>> callAsync(String command,
      TypeReference<T> resultType, Object... args) {
    return executor.callAllAsync(target, command, args, executor.broadcastDecoder(resultType.getType()));
  }

  /** Sends {@code command} to every instance of every connected node without blocking. */
  public CompletableFuture<AllNodesReply<Void>> send(String command, Object... args) {
    return executor.sendAll(target, command, args);
  }
}
