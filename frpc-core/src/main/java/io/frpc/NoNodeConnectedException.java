package io.frpc;

import java.time.Duration;

/** No node matching the call's target was connected within {@code frpc.client.connect-wait}. */
public class NoNodeConnectedException extends FrpcException {

  private final String nodeName;
  private final Integer nodeId;

  public NoNodeConnectedException(String nodeName, Integer nodeId, Duration waited) {
    this(nodeName, nodeId, "no node " + (nodeId == null ? nodeName : nodeName + ":" + nodeId)
        + " connected after waiting " + waited.toMillis() + " ms (frpc.client.connect-wait)");
  }

  /** Like {@link #NoNodeConnectedException(String, Integer, Duration)}, saying why the last attempt failed. */
  public NoNodeConnectedException(String nodeName, Integer nodeId, Duration waited, String lastFailure) {
    this(nodeName, nodeId, "no node " + (nodeId == null ? nodeName : nodeName + ":" + nodeId)
        + " connected after waiting " + waited.toMillis() + " ms (frpc.client.connect-wait); last attempt: "
        + lastFailure);
  }

  protected NoNodeConnectedException(String nodeName, Integer nodeId, String message) {
    super(message);
    this.nodeName = nodeName;
    this.nodeId = nodeId;
  }

  /** The node name the call targeted. */
  public String nodeName() {
    return nodeName;
  }

  /** The node id the call targeted, or {@code null} when any node of the name would do. */
  public Integer nodeId() {
    return nodeId;
  }
}
