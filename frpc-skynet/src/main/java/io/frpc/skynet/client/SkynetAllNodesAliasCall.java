package io.frpc.skynet.client;

import io.frpc.AllNodesReply;
import io.frpc.skynet.internal.client.CallTarget;
import io.frpc.skynet.internal.client.SkynetCalls;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import tools.jackson.core.type.TypeReference;

/**
 * A call to a skynet service by its registered name on every active node of a name ({@code call_by_alias} 206 /
 * {@code send_by_alias} 106 in skynet_fly's mode all): each node's result or failure. Immutable.
 */
public final class SkynetAllNodesAliasCall {

  private final SkynetCalls calls;
  private final CallTarget target;

  SkynetAllNodesAliasCall(SkynetCalls calls, CallTarget target) {
    this.calls = calls;
    this.target = target;
  }

  /** How long each node's call waits for its response once sent: 5 seconds by default. */
  public SkynetAllNodesAliasCall timeout(Duration timeout) {
    return new SkynetAllNodesAliasCall(calls, target.withTimeout(timeout));
  }

  /** Runs {@code command} on every active node; see {@link SkynetAllNodesCall#call(String, Class, Object...)}. */
  public <T> AllNodesReply<T> call(String command, Class<T> resultType, Object... args) {
    return SkynetCalls.await(callAsync(command, resultType, args));
  }

  /** {@link #call(String, Class, Object...)} for a generic result type. */
  public <T> AllNodesReply<T> call(String command, TypeReference<T> resultType, Object... args) {
    return SkynetCalls.await(calls.callAll(target, command, args,
        SkynetCalls.firstValue(resultType.getType(), value -> calls.binding().toJava(value, resultType))));
  }

  /** {@link #call(String, Class, Object...)} without blocking. */
  public <T> CompletableFuture<AllNodesReply<T>> callAsync(String command, Class<T> resultType, Object... args) {
    return calls.callAll(target, command, args,
        SkynetCalls.firstValue(resultType, value -> calls.binding().toJava(value, resultType)));
  }

  /** Sends {@code command} to the service on every active node; the reply lists the nodes it could not reach. */
  public CompletableFuture<AllNodesReply<Void>> send(String command, Object... args) {
    return calls.sendAll(target, command, args);
  }
}
