package io.frpc;

/** The remote instance's mailbox was full, so the call was refused without running. */
public class OverloadedException extends FrpcException {

  private final NodeId node;

  public OverloadedException(NodeId node, String message) {
    super(node + " is overloaded: " + message);
    this.node = node;
  }

  /** The node that refused the call. */
  public NodeId node() {
    return node;
  }
}
