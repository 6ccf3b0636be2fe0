package io.frpc.spring;

import io.frpc.RemoteNode;
import org.springframework.context.ApplicationEvent;

/** Published once when a connection to a node is established and its handshake succeeded. */
public class NodeUpEvent extends ApplicationEvent {

  private final RemoteNode node;

  public NodeUpEvent(Object source, RemoteNode node) {
    super(source);
    this.node = node;
  }

  /** The node that came up. */
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

  @Override
  public String toString() {
    return "NodeUpEvent[" + node.id() + " at " + node.address() + "]";
  }
}
