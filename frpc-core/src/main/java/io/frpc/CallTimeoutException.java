package io.frpc;

import java.time.Duration;

/**
 * The call's deadline passed before its reply arrived; the pending call has been freed and the node told (it drops
 * the request if it has not started it).
 */
public class CallTimeoutException extends FrpcException {

  private final NodeId node;

  /**
   * @param node    the node that did not answer in time
   * @param timeout the length of the call's deadline
   */
  public CallTimeoutException(NodeId node, String module, String command, Duration timeout) {
    super("call " + module + "." + command + " on " + node + ": no reply within its deadline of "
        + timeout.toMillis() + " ms");
    this.node = node;
  }

  /** A call whose deadline passed before it could be sent to any node; {@link #node()} is null. */
  public CallTimeoutException(String message) {
    super(message);
    this.node = null;
  }

  /** The node that did not answer in time, or null when the call never reached one. */
  public NodeId node() {
    return node;
  }
}
