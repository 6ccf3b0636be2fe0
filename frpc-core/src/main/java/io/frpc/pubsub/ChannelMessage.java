package io.frpc.pubsub;

import io.frpc.NodeId;
import io.frpc.RemoteNode;

/**
 * A message a subscriber received.
 *
 * @param node    the publishing node
 * @param channel the channel it was published on (for a pattern subscription, the matching channel)
 * @param payload the decoded payload
 * @param dropped messages of this subscription from this node lost just before this one, because the
 *                subscriber or its connection did not keep up; 0 when nothing was lost
 * @param <T>     the payload type
 */
public record ChannelMessage<T>(RemoteNode node, String channel, T payload, long dropped) {

  /**
   * The publishing node's name and id, the same across its restarts: key maps by this. {@link #node()} also
   * carries the boot id of the process that published, which changes with every start.
   */
  public NodeId nodeId() {
    return node.id();
  }
}
