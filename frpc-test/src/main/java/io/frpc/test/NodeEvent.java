package io.frpc.test;

import io.frpc.NodeDownReason;
import io.frpc.NodeId;
import java.util.Objects;

/**
 * One node transition a {@link ClusterNode} saw, as its {@link io.frpc.NodeListener} was told: written
 * {@code up game:1} or {@code down game:1 CONNECTION_LOST}.
 *
 * @param node   the node that came up or went down
 * @param reason why it went down, or {@code null} when it came up
 */
public record NodeEvent(NodeId node, NodeDownReason reason) {

  public NodeEvent {
    Objects.requireNonNull(node, "node");
  }

  /** {@code node} came up (connected). */
  public static NodeEvent up(NodeId node) {
    return new NodeEvent(node, null);
  }

  /** {@code node} went down for {@code reason}. */
  public static NodeEvent down(NodeId node, NodeDownReason reason) {
    return new NodeEvent(node, Objects.requireNonNull(reason, "reason"));
  }

  /** Whether the node came up. */
  public boolean isUp() {
    return reason == null;
  }

  @Override
  public String toString() {
    return isUp() ? "up " + node : "down " + node + " " + reason;
  }
}
