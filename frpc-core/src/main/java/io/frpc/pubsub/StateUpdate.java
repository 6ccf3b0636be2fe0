package io.frpc.pubsub;

import io.frpc.NodeId;
import io.frpc.RemoteNode;

/**
 * A version of a state channel. Versions of one channel from one node process only grow; a watcher may
 * skip intermediate versions but always ends with the latest.
 *
 * @param node    the publishing node
 * @param channel the state channel (for a pattern watch, the matching channel)
 * @param version the value's version on that node process, starting at 1
 * @param value   the decoded value
 * @param <T>     the value type
 */
public record StateUpdate<T>(RemoteNode node, String channel, long version, T value) {

  /**
   * The publishing node's name and id, the same across its restarts: key maps by this. {@link #node()} also
   * carries the boot id of the process that published, which changes with every start.
   */
  public NodeId nodeId() {
    return node.id();
  }
}
