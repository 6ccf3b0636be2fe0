package io.frpc.spring;

import io.frpc.NodeDownReason;
import io.frpc.RemoteNode;
import org.springframework.context.ApplicationEvent;

/** Published once when a node that was up stops being usable. */
public class NodeDownEvent extends ApplicationEvent {

  private final RemoteNode node;
  private final NodeDownReason reason;

  public NodeDownEvent(Object source, RemoteNode node, NodeDownReason reason) {
    super(source);
    this.node = node;
    this.reason = reason;
  }

  /** The node that went down. */
  public RemoteNode node() {
    return node;
  }

  /** The node's name. */
  public String nodeName() {
    return node.id().name();
  }

  /** The node's id. */
  public int nodeId() {
    return node.id().id();
  }

  /** The node's {@code host:port}. */
  public String address() {
    return node.address();
  }

  /** Why it went down. */
  public NodeDownReason reason() {
    return reason;
  }

  @Override
  public String toString() {
    return "NodeDownEvent[" + node.id() + " at " + node.address() + ", " + reason + "]";
  }
}
