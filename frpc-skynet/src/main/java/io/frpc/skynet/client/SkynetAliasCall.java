package io.frpc.skynet.client;

import io.frpc.skynet.internal.client.CallTarget;
import io.frpc.skynet.internal.client.SkynetCalls;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import tools.jackson.core.type.TypeReference;

/**
 * A call to a skynet service by its registered name on one node ({@code send_by_alias} 106,
 * {@code call_by_alias} 206): the node passes the payload to {@code skynet.rawsend}/{@code rawcall} of that
 * service, module or not. Immutable.
 */
public final class SkynetAliasCall {

  private final SkynetCalls calls;
  private final CallTarget target;

  SkynetAliasCall(SkynetCalls calls, CallTarget target) {
    this.calls = calls;
    this.target = target;
  }

  /** Calls node {@code svrId} only (skynet_fly's mode byid). */
  public SkynetAliasCall node(int svrId) {
    return new SkynetAliasCall(calls, target.withNodeId(svrId));
  }

  /** Calls the service on every active node of the name (skynet_fly's mode all); see {@link SkynetAllNodesCall}. */
  public SkynetAllNodesAliasCall allNodes() {
    return new SkynetAllNodesAliasCall(calls, target.withAllNodes());
  }

  /** How long the call waits for its response once sent: 5 seconds by default. */
  public SkynetAliasCall timeout(Duration timeout) {
    return new SkynetAliasCall(calls, target.withTimeout(timeout));
  }

  /** Runs {@code command} and binds the first value it returned; see {@link SkynetModuleCall#call}. */
  public <T> T call(String command, Class<T> resultType, Object... args) {
    return SkynetCalls.await(callAsync(command, resultType, args));
  }

  /** {@link #call(String, Class, Object...)} for a generic result type. */
  public <T> T call(String command, TypeReference<T> resultType, Object... args) {
    return SkynetCalls.await(calls.call(target, command, args,
        SkynetCalls.firstValue(resultType.getType(), value -> calls.binding().toJava(value, resultType))));
  }

  /** Runs {@code command} and returns every value it returned. */
  public LuaReply callForReply(String command, Object... args) {
    return SkynetCalls.await(calls.call(target, command, args, LuaReply::new));
  }

  /** {@link #call(String, Class, Object...)} without blocking. */
  public <T> CompletableFuture<T> callAsync(String command, Class<T> resultType, Object... args) {
    return calls.call(target, command, args,
        SkynetCalls.firstValue(resultType, value -> calls.binding().toJava(value, resultType)));
  }

  /** Sends {@code command} with no response; see {@link SkynetModuleCall#send}. */
  public CompletableFuture<Void> send(String command, Object... args) {
    return calls.send(target, command, args);
  }
}
