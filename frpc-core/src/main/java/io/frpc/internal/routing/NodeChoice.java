package io.frpc.internal.routing;

import io.frpc.LoadBalancing;
import io.frpc.internal.protocol.InstanceSelection;
import io.frpc.internal.transport.OutgoingConnection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Which connected node of a name a call goes to, and the key its instance is then picked by: a given node
 * id; for {@code mod(key)}, N connected nodes in id order, node {@code key mod N} with instance key
 * {@code key / N} (so every node–instance pair receives keys, and a key sticks to its node while the set of
 * nodes is stable); otherwise by the node's {@link LoadBalancing}: the less loaded of two random nodes
 * ({@link PowerOfTwoChoices}), or round robin — either passing over a node that refused a call unrun a moment ago
 * while another is up.
 */
final class NodeChoice {

  /** For {@link LoadBalancing#LEAST_LOADED}; {@code null} for round robin. */
  private final PowerOfTwoChoices<OutgoingConnection> leastLoaded;

  NodeChoice(LoadBalancing balancing) {
    this.leastLoaded = balancing == LoadBalancing.LEAST_LOADED ? new PowerOfTwoChoices<>(
        OutgoingConnection::pendingCalls, OutgoingConnection::latencyNanos, ThreadLocalRandom::current) : null;
  }

  /** The route for {@code target} among {@code group}'s connected nodes, or {@code null} when none fits. */
  Route choose(NodeGroup group, CallTarget target) {
    return choose(group, target, List.of());
  }

  /**
   * The route for {@code target} among {@code group}'s connected nodes; a call without node id or key (a retry,
   * a hedge) avoids the nodes in {@code avoid}. {@code null} when none fits.
   */
  Route choose(NodeGroup group, CallTarget target, List<OutgoingConnection> avoid) {
    if (target.nodeId() != null) {
      OutgoingConnection connection = group.byId(target.nodeId());
      return connection == null ? null : new Route(connection, target.modKey());
    }
    if (target.selection() != InstanceSelection.MOD) {
      OutgoingConnection connection = leastLoaded == null ? group.next(avoid)
          : leastLoaded.choose(group.candidates(avoid));
      return connection == null ? null : new Route(connection, 0);
    }
    OutgoingConnection[] nodes = group.all();
    if (nodes.length == 0) {
      return null;
    }
    long key = target.modKey();
    return new Route(nodes[(int) Math.floorMod(key, (long) nodes.length)], Math.floorDiv(key, (long) nodes.length));
  }

  /** A chosen connection and the key its instance is picked by (for {@code mod}). */
  record Route(OutgoingConnection connection, long instanceKey) {
  }
}
