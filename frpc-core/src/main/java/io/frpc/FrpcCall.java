package io.frpc;

import io.frpc.internal.module.CallContext;

/**
 * The command being run on this thread: who called it and which instance runs it. Available inside a
 * handler method, on the thread frpc runs it on:
 * <pre>{@code
 * public RoomView join(long roomId, Player player) {
 *   NodeId caller = FrpcCall.current().caller();
 *   ...
 * }
 * }</pre>
 * The caller's identity is what the calling node asserted in its handshake; frpc checks only that it follows
 * the rule of node names, that no other live connection holds it, and — when {@code frpc.security.secret} is
 * set — that the caller holds the cluster's secret. Any node that holds the secret can claim any name and id,
 * so {@code caller()} says which node this is meant to be, not who may do what: do not base authorization
 * between nodes of one cluster on it.
 *
 * @param caller   the calling node as it named itself in its handshake (asserted by the peer, not proven)
 * @param instance the instance running the command
 * @param command  the command name
 * @param send     whether the caller sent it without waiting for a reply
 */
public record FrpcCall(NodeId caller, FrpcInstance instance, String command, boolean send) {

  /**
   * The call being run on this thread.
   *
   * @throws IllegalStateException when called outside a command run by frpc
   */
  public static FrpcCall current() {
    FrpcCall call = CallContext.current();
    if (call == null) {
      throw new IllegalStateException("FrpcCall.current() is only available inside a command that frpc runs, "
          + "on the thread it runs it on");
    }
    return call;
  }
}
