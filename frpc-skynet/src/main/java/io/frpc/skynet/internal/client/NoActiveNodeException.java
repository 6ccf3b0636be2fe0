package io.frpc.skynet.internal.client;

import io.frpc.NoNodeConnectedException;
import java.time.Duration;

/**
 * No node of the call's target was active within the connect wait: frpc's {@link NoNodeConnectedException}, with a
 * message that names the skynet client's setting and why the nodes' last attempts failed.
 */
final class NoActiveNodeException extends NoNodeConnectedException {

  NoActiveNodeException(String svrName, Integer svrId, Duration waited, String lastFailures) {
    super(svrName, svrId, "no skynet node " + (svrId == null ? svrName : svrName + ":" + svrId) + " active after"
        + " waiting " + waited.toMillis() + " ms (SkynetNodes.Builder.connectWait)"
        + (lastFailures.isEmpty() ? "" : "; last failures: " + lastFailures));
  }

  private NoActiveNodeException(String svrName, int svrId, String message) {
    super(svrName, svrId, message);
  }

  /** Node {@code svrName:svrId} is not in the node map: it can never be active. */
  static NoActiveNodeException notInMap(String svrName, int svrId, Object idsInMap) {
    return new NoActiveNodeException(svrName, svrId, "skynet node " + svrName + ":" + svrId + " is not in the node"
        + " map, which has ids " + idsInMap + " of " + svrName + " (SkynetNodes.Builder.node)");
  }
}
