package io.frpc.status;

import io.frpc.NodeId;
import io.frpc.discovery.DiscoveryHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot of one node.
 *
 * @param id              this node's name and id
 * @param bootId          this process's boot id
 * @param listenAddress   the address the listener is bound to, or {@code null} when it does not listen
 * @param advertisedAddress the {@code host:port} other nodes are told to reach it at
 *                        ({@code frpc.server.advertised-host}), or {@code null} when none is set or it does
 *                        not listen
 * @param protocolVersion the wire protocol version it speaks
 * @param startedAt       when the node was built
 * @param uptime          how long ago that was
 * @param discovery       the discovery's health, or {@code null} without discovery
 * @param nodes           every node discovery reported, by id
 * @param modules         the modules it serves
 * @param channels        subscriptions other nodes hold on this node, per channel or pattern
 * @param subscriptions   subscriptions this node made on other nodes
 */
public record NodeStatus(NodeId id, String bootId, String listenAddress, String advertisedAddress, int protocolVersion, Instant startedAt,
    Duration uptime, DiscoveryHealth discovery, List<RemoteNodeStatus> nodes, List<ModuleStatus> modules,
    List<ChannelStatus> channels, List<SubscriptionStatus> subscriptions) {
}
