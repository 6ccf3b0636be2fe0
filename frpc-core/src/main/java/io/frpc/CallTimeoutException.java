package io.frpc;

import java.time.Duration;

/** The call's deadline passed before its reply arrived; the pending call has been freed. */
public class CallTimeoutException extends FrpcException {

  private final NodeId node;

  public CallTimeoutException(NodeId node, String module, String command, Duration timeout) {
    super("call " + module + "." + command + " on " + node + " timed out after " + timeout.toMillis() + " ms");
    this.node = node;
  }

  /** The node that did not answer in time. */
  public NodeId node() {
    return node;
  }
}
