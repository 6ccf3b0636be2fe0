package io.frpc.spring;

import io.frpc.RemoteNode;
import org.springframework.context.ApplicationEvent;

/** A node lifecycle transition; listen to this type to receive both {@link NodeUpEvent} and {@link NodeDownEvent}. */
public abstract class NodeEvent extends ApplicationEvent {

  private final RemoteNode node;

  protected NodeEvent(Object source, RemoteNode node) {
    super(source);
    this.node = node;
  }

  /** The node. */
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
}
