package io.frpc;

/** The connection to the node closed before the call's reply arrived, or before a send was written. */
public class ConnectionLostException extends FrpcException {

  private final NodeId node;

  public ConnectionLostException(NodeId node, String detail) {
    super("connection to " + node + " lost: " + detail);
    this.node = node;
  }

  /** The node whose connection was lost. */
  public NodeId node() {
    return node;
  }
}
