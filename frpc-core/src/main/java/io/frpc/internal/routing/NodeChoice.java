package io.frpc.internal.routing;

import io.frpc.internal.protocol.InstanceSelection;
import io.frpc.internal.transport.OutgoingConnection;
import java.util.List;

/**
 * Which connected node of a name a call goes to, and the key its instance is then picked by: a given node
 * id; for {@code mod(key)}, N connected nodes in id order, node {@code key mod N} with instance key
 * {@code key / N} (so every node–instance pair receives keys, and a key sticks to its node while the set of
 * nodes is stable); otherwise round robin.
 */
final class NodeChoice {

  private NodeChoice() {
  }

  /** The route for {@code target} among {@code group}'s connected nodes, or {@code null} when none fits. */
  static Route choose(NodeGroup group, CallTarget target) {
    if (target.nodeId() != null) {
      OutgoingConnection connection = group.byId(target.nodeId());
      return connection == null ? null : new Route(connection, target.modKey());
    }
    if (target.selection() != InstanceSelection.MOD) {
      OutgoingConnection connection = group.next();
      return connection == null ? null : new Route(connection, 0);
    }
    OutgoingConnection[] nodes = group.all();
    if (nodes.length == 0) {
      return null;
    }
    long key = target.modKey();
    return new Route(nodes[(int) Math.floorMod(key, (long) nodes.length)], Math.floorDiv(key, (long) nodes.length));
  }

  /**
   * The route of a retry or hedge of a call routed by round robin: the next connected node not in {@code avoid},
   * or {@code null} when every connected node is in it.
   */
  static Route chooseAvoiding(NodeGroup group, List<OutgoingConnection> avoid) {
    OutgoingConnection connection = group.next(avoid);
    return connection == null ? null : new Route(connection, 0);
  }

  /** A chosen connection and the key its instance is picked by (for {@code mod}). */
  record Route(OutgoingConnection connection, long instanceKey) {
  }
}
