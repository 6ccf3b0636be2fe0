package io.frpc.bridge;

import io.frpc.InstanceReply;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/**
 * One peer connection of another protocol, through which its requests reach this node's modules. Requests are
 * handed over on the connection's thread ({@link NodeBridge#connect}); futures complete on the thread that ran
 * the command. Closing it cancels every request still queued or running, as a closed frpc connection does.
 */
public interface BridgeConnection extends AutoCloseable {

  /**
   * Runs a {@link BridgeRequest.Pick#BALANCE} or {@link BridgeRequest.Pick#MOD} request and completes with the
   * command's result as a JSON tree ({@code NullNode} for {@code void} or {@code null}), or fails with a
   * {@code RemoteCallException} whose {@code code()} says why (unknown module, instance or command, arguments that
   * do not bind, the command's own exception, a full mailbox, the deadline, the node shutting down).
   */
  CompletableFuture<JsonNode> call(BridgeRequest request);

  /** Runs a {@link BridgeRequest.Pick#BROADCAST} request and completes with every instance's reply. */
  CompletableFuture<List<InstanceReply<JsonNode>>> broadcast(BridgeRequest request);

  /** Runs a request nobody waits for; a failure is logged by the node, as for an frpc send. */
  void send(BridgeRequest request);

  /**
   * Subscribes to messages ({@code state} false) or state versions ({@code state} true) of this node's channel
   * {@code channel}, or of every channel matching it when it holds {@code *} segments, as an frpc subscriber does:
   * a state subscription gets the current version at once. A repeated id replaces its subscription. On the
   * connection's thread, on a connection opened with a {@link BridgeSubscriber}.
   *
   * @throws IllegalArgumentException when {@code channel} is not a valid channel name or pattern
   */
  void subscribe(int subscriptionId, String channel, boolean state);

  /** Ends subscription {@code subscriptionId}; an unknown id is ignored. On the connection's thread. */
  void unsubscribe(int subscriptionId);

  /** The peer's connection drained: state versions it missed while full are sent. On the connection's thread. */
  void writable();

  /** Cancels what is still queued or running and ends every subscription; later requests fail. */
  @Override
  void close();
}
