package io.frpc.discovery;

import io.frpc.NodeDownReason;
import io.frpc.NodeId;

/** What a discovery source reports nodes to; the client connects to available nodes and keeps retrying. */
public interface DiscoveredNodes {

  /** The node is (still) reachable at {@code host:port}; repeated reports of the same address are cheap. */
  void nodeAvailable(NodeId node, String host, int port);

  /** The node went away; its connection is closed and calls stop routing to it. */
  void nodeUnavailable(NodeId node, NodeDownReason reason);
}
