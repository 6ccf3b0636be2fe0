package io.frpc.spring;

import io.frpc.RemoteNode;

/** Published once when a connection to a node is established and its handshake succeeded. */
public class NodeUpEvent extends NodeEvent {

  public NodeUpEvent(Object source, RemoteNode node) {
    super(source, node);
  }

  @Override
  public String toString() {
    return "NodeUpEvent[" + node().id() + " at " + address() + "]";
  }
}
