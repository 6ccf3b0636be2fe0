package io.frpc;

/**
 * The connection to the node closed before the call's reply arrived, or before a send was written.
 * {@link #mayHaveRun()} says whether the request reached the node: when it did not, frpc may have sent the
 * call to another node already (see {@code docs/api.md}, "Deadlines, cancellation and retries").
 */
public class ConnectionLostException extends FrpcException {

  private final NodeId node;
  private final boolean mayHaveRun;

  /** A loss after which the command may have run. */
  public ConnectionLostException(NodeId node, String detail) {
    this(node, detail, true);
  }

  /** @param mayHaveRun whether the request may have reached the node (false: it provably did not run) */
  public ConnectionLostException(NodeId node, String detail, boolean mayHaveRun) {
    super("connection to " + node + " lost: " + detail);
    this.node = node;
    this.mayHaveRun = mayHaveRun;
  }

  /** Whether the request may have reached the node, and the command run; false when it provably did not. */
  public boolean mayHaveRun() {
    return mayHaveRun;
  }

  /** The node whose connection was lost. */
  public NodeId node() {
    return node;
  }
}
