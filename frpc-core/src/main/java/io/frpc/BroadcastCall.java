package io.frpc;

import io.frpc.internal.routing.CallExecutor;
import io.frpc.internal.routing.CallTarget;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import tools.jackson.core.type.TypeReference;

/** A call to every instance of a module on one node; a call returns one reply per instance. */
public final class BroadcastCall {

  private final CallExecutor executor;
  private final CallTarget target;

  BroadcastCall(CallExecutor executor, CallTarget target) {
    this.executor = executor;
    this.target = target;
  }

  /** Calls node {@code id} only. */
  public BroadcastCall node(int id) {
    return new BroadcastCall(executor, target.withNodeId(id));
  }

  /** Broadcasts on every connected node of the name. */
  public AllNodesBroadcastCall allNodes() {
    return new AllNodesBroadcastCall(executor, target.withAllNodes());
  }

  /** Restricts the broadcast to instances named {@code name}. */
  public BroadcastCall instance(String name) {
    return new BroadcastCall(executor, target.withInstanceName(name));
  }

  /** Overrides {@code frpc.client.call-timeout} for this call. */
  public BroadcastCall timeout(Duration timeout) {
    return new BroadcastCall(executor, target.withTimeout(timeout));
  }

  /** Runs {@code command} on every instance; an instance's failure is in its reply, not thrown. */
  public <T> List<InstanceReply<T>> call(String command, Class<T> resultType, Object... args) {
    return executor.call(target, command, args, executor.broadcastDecoder(resultType));
  }

  /** Like {@link #call(String, Class, Object...)} for generic result types. */
  public <T> List<InstanceReply<T>> call(String command, TypeReference<T> resultType, Object... args) {
    return executor.call(target, command, args, executor.broadcastDecoder(resultType.getType()));
  }

  /** Runs {@code command} on every instance without blocking. */
  public <T> CompletableFuture<List<InstanceReply<T>>> callAsync(String command, Class<T> resultType,
      Object... args) {
    return executor.callAsync(target, command, args, executor.broadcastDecoder(resultType));
  }

  /** Like {@link #callAsync(String, Class, Object...)} for generic result types. */
  public <T> CompletableFuture<List<InstanceReply<T>>> callAsync(String command, TypeReference<T> resultType,
      Object... args) {
    return executor.callAsync(target, command, args, executor.broadcastDecoder(resultType.getType()));
  }

  /** Sends {@code command} to every instance without blocking; see {@link ModuleCall#send}. */
  public CompletableFuture<Void> send(String command, Object... args) {
    return executor.send(target, command, args);
  }
}
