package io.frpc.spring.autoconfigure;

import io.frpc.FrpcNode;
import io.frpc.NodeId;
import io.frpc.RemoteNode;
import io.frpc.discovery.DiscoveryHealth;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the frpc node: UP while the listener (if enabled) is bound and discovery works; details
 * give the listener address, the discovery state and, per node name, how many known nodes are connected.
 */
final class FrpcHealthIndicator extends AbstractHealthIndicator {

  private final FrpcNode node;

  FrpcHealthIndicator(FrpcNode node) {
    super("frpc health check failed");
    this.node = node;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    boolean listening = !node.serves() || node.isListening();
    DiscoveryHealth discoveryHealth = node.discoveryHealth();
    builder.status(listening && (discoveryHealth == null || discoveryHealth.healthy()) ? "UP" : "DOWN");
    builder.withDetail("listener", !node.serves() ? "disabled"
        : node.isListening() ? String.valueOf(node.listenAddress()) : "not listening");
    if (discoveryHealth != null) {
      builder.withDetail("discovery", discoveryHealth.details());
    }
    Map<String, Map<String, Integer>> nodes = new TreeMap<>();
    for (NodeId known : node.knownNodes().keySet()) {
      nodes.computeIfAbsent(known.name(), name -> new TreeMap<>()).merge("known", 1, Integer::sum);
    }
    for (RemoteNode connected : node.connectedNodes()) {
      nodes.computeIfAbsent(connected.id().name(), name -> new TreeMap<>()).merge("connected", 1, Integer::sum);
    }
    builder.withDetail("nodes", nodes);
  }
}
