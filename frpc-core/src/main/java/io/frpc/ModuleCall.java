package io.frpc;

import io.frpc.internal.protocol.InstanceSelection;
import io.frpc.internal.routing.CallExecutor;
import io.frpc.internal.routing.CallTarget;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import tools.jackson.core.type.TypeReference;

/**
 * A call to one instance on one node: the node is picked by the calling node's {@link LoadBalancing} (by key with
 * {@link #mod}) or fixed with {@link #node}; the instance by round-robin ({@link #balance}) or key ({@link #mod}).
 */
public final class ModuleCall {

  private final CallExecutor executor;
  private final CallTarget target;

  ModuleCall(CallExecutor executor, CallTarget target) {
    this.executor = executor;
    this.target = target;
  }

  /** Calls node {@code id} only (seed: byid). */
  public ModuleCall node(int id) {
    return new ModuleCall(executor, target.withNodeId(id));
  }

  /** Calls every connected node of the name (seed: all). */
  public AllNodesCall allNodes() {
    return new AllNodesCall(executor, target.withAllNodes());
  }

  /** Restricts the instance choice to instances named {@code name} (seed: *_by_name). */
  public ModuleCall instance(String name) {
    return new ModuleCall(executor, target.withInstanceName(name));
  }

  /** Round-robin over the instances (the default; seed: balance). */
  public ModuleCall balance() {
    return new ModuleCall(executor, target.withSelection(InstanceSelection.BALANCE, 0));
  }

  /**
   * Sticky routing by key (seed: mod): one key always reaches the same node and instance while the set
   * of connected nodes is stable. With N connected nodes in id order and M instances serving the
   * command, node {@code key mod N} and instance {@code (key / N) mod M}, so every (node, instance) pair
   * receives keys; with {@link #node}, instance {@code key mod M}.
   */
  public ModuleCall mod(long key) {
    return new ModuleCall(executor, target.withSelection(InstanceSelection.MOD, key));
  }

  /** Every instance on the node (seed: broadcast). */
  public BroadcastCall broadcast() {
    return new BroadcastCall(executor, target.withSelection(InstanceSelection.BROADCAST, 0));
  }

  /**
   * Overrides {@code frpc.client.call-timeout} for this call: its deadline is this long from the moment the call
   * starts, covering the wait for a node, every attempt and the reply (and never later than the deadline of the
   * call being served on this thread).
   */
  public ModuleCall timeout(Duration timeout) {
    return new ModuleCall(executor, target.withTimeout(timeout));
  }

  /**
   * Declares the command safe to run more than once: a call that may have run (its connection closed after the
   * request was written) is then retried, on another node when there is one, within its deadline,
   * {@code frpc.client.retry.max-attempts} and the retry budget. Calls that provably did not run are failed over
   * without it.
   */
  public ModuleCall idempotent() {
    return new ModuleCall(executor, target.withIdempotent());
  }

  /**
   * Hedges the call (and declares it {@linkplain #idempotent() idempotent}): when no reply came within
   * {@code after}, another node of the name is asked as well, and again after each further {@code after}, up to
   * {@code frpc.client.retry.max-attempts} attempts within the retry budget; the first reply wins and the other
   * attempts are cancelled. Only calls without node id or key are hedged.
   */
  public ModuleCall hedge(Duration after) {
    return new ModuleCall(executor, target.withHedge(after));
  }

  /**
   * Runs {@code command} and returns its result.
   *
   * @throws NoNodeConnectedException no matching node connected within {@code frpc.client.connect-wait}
   * @throws RemoteCallException      the remote node answered with an error
   * @throws CallTimeoutException     no reply before the deadline
   * @throws FrpcException            for any other failure
   */
  public <T> T call(String command, Class<T> resultType, Object... args) {
    return executor.call(target, command, args, executor.valueDecoder(resultType));
  }

  /** Like {@link #call(String, Class, Object...)} for generic result types. */
  public <T> T call(String command, TypeReference<T> resultType, Object... args) {
    return executor.call(target, command, args, executor.valueDecoder(resultType.getType()));
  }

  /**
   * Runs {@code command} without blocking. The future completes on one of frpc's callback threads, or, with
   * {@code frpc.client.direct-completion}, on the I/O thread that read the reply (keep such continuations short).
   */
  public <T> CompletableFuture<T> callAsync(String command, Class<T> resultType, Object... args) {
    return executor.callAsync(target, command, args, executor.valueDecoder(resultType));
  }

  /** Like {@link #callAsync(String, Class, Object...)} for generic result types. */
  public <T> CompletableFuture<T> callAsync(String command, TypeReference<T> resultType, Object... args) {
    return executor.callAsync(target, command, args, executor.valueDecoder(resultType.getType()));
  }

  /**
   * Sends {@code command} without waiting for it to run (fire-and-forget, as the seed's {@code *_send}).
   * Never blocks: the future completes once the message is written, and fails (and is logged) when no
   * node connects within {@code frpc.client.connect-wait} or the write fails. What the command does on the
   * remote node, including an exception it throws, is not reported to the sender.
   */
  public CompletableFuture<Void> send(String command, Object... args) {
    return executor.send(target, command, args);
  }
}
