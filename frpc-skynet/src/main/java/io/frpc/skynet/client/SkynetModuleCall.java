package io.frpc.skynet.client;

import io.frpc.skynet.internal.client.CallTarget;
import io.frpc.skynet.internal.client.CallTarget.Selection;
import io.frpc.skynet.internal.client.SkynetCalls;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import tools.jackson.core.type.TypeReference;

/**
 * A call to one instance of a module on one node: the node round-robin over the active nodes of the name
 * (skynet_fly's mode one) or fixed with {@link #node} (byid); the instance picked by the node, round-robin
 * ({@link #balance}) or by key ({@link #mod}), among the instances named {@link #instance} when given. Immutable.
 */
public final class SkynetModuleCall {

  private final SkynetCalls calls;
  private final CallTarget target;

  SkynetModuleCall(SkynetCalls calls, CallTarget target) {
    this.calls = calls;
    this.target = target;
  }

  /** Calls node {@code svrId} only (skynet_fly's mode byid). */
  public SkynetModuleCall node(int svrId) {
    return new SkynetModuleCall(calls, target.withNodeId(svrId));
  }

  /** Calls every active node of the name (skynet_fly's mode all). */
  public SkynetAllNodesCall allNodes() {
    return new SkynetAllNodesCall(calls, target.withAllNodes());
  }

  /** Only instances named {@code name} (the {@code _by_name} pack ids, 103 to 105 and 203 to 205). */
  public SkynetModuleCall instance(String name) {
    return new SkynetModuleCall(calls, target.withInstanceName(name));
  }

  /** Round-robin over the instances (the default; {@code balance_send} 100, {@code balance_call} 200). */
  public SkynetModuleCall balance() {
    return new SkynetModuleCall(calls, target.withSelection(Selection.BALANCE, 0));
  }

  /**
   * The instance at {@code key % count} of the module's instances ({@code mod_send} 101, {@code mod_call} 201): one
   * key always reaches the same instance. skynet_fly cannot carry a key of 0, so 0 is sent as 1 (keys 0 and 1 reach
   * the same instance).
   *
   * @throws IllegalArgumentException for a negative key, which skynet_fly refuses
   */
  public SkynetModuleCall mod(long key) {
    return new SkynetModuleCall(calls, target.withSelection(Selection.MOD, key));
  }

  /** Every instance of the module on the node ({@code broadcast} 102, {@code broadcast_call} 202). */
  public SkynetBroadcastCall broadcast() {
    return new SkynetBroadcastCall(calls, target.withSelection(Selection.BROADCAST, 0));
  }

  /** How long the call waits for its response once sent: 5 seconds by default. */
  public SkynetModuleCall timeout(Duration timeout) {
    return new SkynetModuleCall(calls, target.withTimeout(timeout));
  }

  /**
   * Runs {@code command} and binds the first value it returned (nil when none) to {@code resultType}.
   *
   * @throws io.frpc.NoNodeConnectedException no active node within the connect wait
   * @throws io.frpc.RemoteCallException the node answered with an error
   * @throws io.frpc.CallTimeoutException no response within the timeout
   * @throws io.frpc.ConnectionLostException the connection closed with the call pending
   */
  public <T> T call(String command, Class<T> resultType, Object... args) {
    return SkynetCalls.await(callAsync(command, resultType, args));
  }

  /** {@link #call(String, Class, Object...)} for a generic result type. */
  public <T> T call(String command, TypeReference<T> resultType, Object... args) {
    return SkynetCalls.await(callAsync(command, resultType, args));
  }

  /** Runs {@code command} and returns every value it returned. */
  public LuaReply callForReply(String command, Object... args) {
    return SkynetCalls.await(callForReplyAsync(command, args));
  }

  /** {@link #call(String, Class, Object...)} without blocking. */
  public <T> CompletableFuture<T> callAsync(String command, Class<T> resultType, Object... args) {
    return calls.call(target, command, args,
        SkynetCalls.firstValue(resultType, value -> calls.binding().toJava(value, resultType)));
  }

  /** {@link #call(String, TypeReference, Object...)} without blocking. */
  public <T> CompletableFuture<T> callAsync(String command, TypeReference<T> resultType, Object... args) {
    return calls.call(target, command, args,
        SkynetCalls.firstValue(resultType.getType(), value -> calls.binding().toJava(value, resultType)));
  }

  /** {@link #callForReply} without blocking. */
  public CompletableFuture<LuaReply> callForReplyAsync(String command, Object... args) {
    return calls.call(target, command, args, LuaReply::new);
  }

  /**
   * Sends {@code command} with no response (skynet_fly's {@code *_send}); the future completes once it is written,
   * or fails when no node is active within the connect wait or the write fails. What the command does is not
   * reported.
   */
  public CompletableFuture<Void> send(String command, Object... args) {
    return calls.send(target, command, args);
  }
}
