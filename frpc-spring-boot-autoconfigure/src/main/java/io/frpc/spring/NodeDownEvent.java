package io.frpc.spring;

import io.frpc.NodeDownReason;
import io.frpc.RemoteNode;

/** Published once when a node that was up stops being usable. */
public class NodeDownEvent extends NodeEvent {

  private final NodeDownReason reason;

  public NodeDownEvent(Object source, RemoteNode node, NodeDownReason reason) {
    super(source, node);
    this.reason = reason;
  }

  /** Why it went down. */
  public NodeDownReason reason() {
    return reason;
  }

  @Override
  public String toString() {
    return "NodeDownEvent[" + node().id() + " at " + address() + ", " + reason + "]";
  }
}
