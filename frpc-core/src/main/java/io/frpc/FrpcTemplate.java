package io.frpc;

import io.frpc.internal.routing.CallExecutor;
import io.frpc.internal.routing.CallTarget;
import io.frpc.internal.client.TypedClients;
import io.frpc.internal.pubsub.SubscriberHub;
import io.frpc.internal.routing.RemoteNodes;
import io.frpc.pubsub.Channels;
import java.util.SortedSet;

/**
 * Entry point for calling other nodes. Every seed call mode is one chain:
 * <pre>{@code
 * frpc.module("cluster_server", "test_m")      // one node: the less loaded of two
 *     .node(2)                                  // or: that node id; .allNodes() for every node
 *     .instance("test_one")                     // optional instance-name filter
 *     .mod(playerId)                            // or .balance() (default) or .broadcast()
 *     .call("ping", String.class, "hi");        // or .send(...) or .callAsync(...)
 * }</pre>
 * Thread-safe; the chain objects are immutable and may be kept and reused. A call to a node name that
 * discovery can never report fails at once with {@link UnknownNodeNameException}.
 */
public final class FrpcTemplate {

  private final RemoteNodes client;
  private final CallExecutor executor;
  private final SubscriberHub subscriptions;

  FrpcTemplate(RemoteNodes client, CallExecutor executor, SubscriberHub subscriptions) {
    this.client = client;
    this.executor = executor;
    this.subscriptions = subscriptions;
  }

  /**
   * Subscribes to channels of the nodes named {@code nodeName} (seed: sub, psub, subsyn, psubsyn):
   * <pre>{@code
   * frpc.channels("game").subscribe("game:*:over", GameOver.class, message -> ...);   // every game node
   * frpc.channels("hall").node(1).watchState("hall:status", HallStatus.class, update -> ...);
   * }</pre>
   */
  public Channels channels(String nodeName) {
    return subscriptions.channels(nodeName);
  }

  /** Starts a call to {@code module} on one node of {@code nodeName}, balanced over its instances. */
  public ModuleCall module(String nodeName, String module) {
    return new ModuleCall(executor, CallTarget.of(nodeName, module));
  }

  /**
   * A typed client: a proxy of {@code type}, an interface annotated {@link io.frpc.client.FrpcClient} whose
   * methods are the module's commands. Everything is resolved once here; keep and reuse the client.
   *
   * @throws FrpcConfigurationException when the interface is invalid, naming the method
   */
  public <T> T client(Class<T> type) {
    return TypedClients.create(type, this);
  }

  /** Whether at least one node of {@code nodeName} is connected. */
  public boolean isActive(String nodeName) {
    return client.isActive(nodeName);
  }

  /** Whether node {@code nodeName:id} is connected. */
  public boolean isActive(String nodeName, int id) {
    return client.isActive(nodeName, id);
  }

  /** Ids of the connected nodes of {@code nodeName}, ascending. */
  public SortedSet<Integer> activeNodeIds(String nodeName) {
    return client.activeNodeIds(nodeName);
  }
}
