package io.frpc.spring.autoconfigure;

import io.frpc.FrpcNode;
import io.frpc.NodeId;
import io.frpc.RemoteNode;
import io.frpc.discovery.DiscoveryHealth;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the frpc node: UP while the listener (if enabled) is bound, discovery works and every
 * required node name ({@code frpc.health.required-nodes}) has a connected node; details give the
 * listener address, the discovery state and, for every node name discovery reports and every name known
 * or required, how many nodes are known and connected (both always present, 0 included); {@code security}
 * warns (health stays UP) when the listener is reachable beyond loopback without a shared secret.
 */
final class FrpcHealthIndicator extends AbstractHealthIndicator {

  private final FrpcNode node;
  private final Set<String> requiredNodes;

  FrpcHealthIndicator(FrpcNode node, Set<String> requiredNodes) {
    super("frpc health check failed");
    this.node = node;
    this.requiredNodes = Set.copyOf(requiredNodes);
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    boolean listening = !node.serves() || node.isListening();
    DiscoveryHealth discoveryHealth = node.discoveryHealth();
    Map<String, Map<String, Integer>> nodes = new TreeMap<>();
    Stream.of(node.discoveredNames(), requiredNodes).flatMap(Set::stream).forEach(name -> counts(nodes, name));
    for (NodeId known : node.knownNodes().keySet()) {
      counts(nodes, known.name()).merge("known", 1, Integer::sum);
    }
    for (RemoteNode connected : node.connectedNodes()) {
      counts(nodes, connected.id().name()).merge("connected", 1, Integer::sum);
    }
    List<String> missing = requiredNodes.stream().filter(name -> nodes.get(name).get("connected") == 0).sorted()
        .toList();
    boolean up = listening && (discoveryHealth == null || discoveryHealth.healthy()) && missing.isEmpty();
    builder.status(up ? "UP" : "DOWN");
    builder.withDetail("listener", !node.serves() ? "disabled"
        : node.isListening() ? String.valueOf(node.listenAddress()) : "not listening");
    if (discoveryHealth != null) {
      builder.withDetail("discovery", discoveryHealth.details());
    }
    builder.withDetail("nodes", nodes);
    if (node.exposedWithoutSecret()) {
      // a warning, not a fault: the node works, and may be meant to run so on a closed network
      builder.withDetail("security", "no shared secret; listener reachable beyond loopback");
    }
    if (!missing.isEmpty()) {
      builder.withDetail("missingRequiredNodes", missing);
    }
  }

  private static Map<String, Integer> counts(Map<String, Map<String, Integer>> nodes, String name) {
    return nodes.computeIfAbsent(name, n -> new TreeMap<>(Map.of("known", 0, "connected", 0)));
  }
}
