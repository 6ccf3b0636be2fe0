package io.frpc.status;

import io.frpc.NodeId;
import java.util.List;

/**
 * A subscription this node made on other nodes.
 *
 * @param nodeName the publishing nodes' name
 * @param nodeId   the one node it is limited to, or {@code null} for every node of the name
 * @param channel  the channel name or pattern
 * @param state    whether it watches state rather than messages
 * @param nodes    the nodes it is established on now
 * @param dropped  messages lost for it so far
 */
public record SubscriptionStatus(String nodeName, Integer nodeId, String channel, boolean state, List<NodeId> nodes,
    long dropped) {
}
