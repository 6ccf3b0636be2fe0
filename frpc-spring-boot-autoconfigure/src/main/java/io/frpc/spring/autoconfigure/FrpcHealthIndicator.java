package io.frpc.spring.autoconfigure;

import io.frpc.NodeId;
import io.frpc.discovery.DiscoveryHealth;
import io.frpc.discovery.NodeDiscovery;
import io.frpc.routing.FrpcClient;
import io.frpc.transport.FrpcServer;
import io.frpc.transport.NodeConnection;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the frpc node: UP while the listener (if enabled) is bound and discovery works; details
 * give the listener address, the discovery state and, per node name, how many known nodes are connected.
 */
final class FrpcHealthIndicator extends AbstractHealthIndicator {

  private final FrpcServer server;
  private final FrpcClient client;
  private final NodeDiscovery discovery;

  FrpcHealthIndicator(FrpcServer server, FrpcClient client, NodeDiscovery discovery) {
    super("frpc health check failed");
    this.server = server;
    this.client = client;
    this.discovery = discovery;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    boolean listening = server == null || server.isRunning();
    DiscoveryHealth discoveryHealth = discovery == null ? null : discovery.health();
    builder.status(listening && (discoveryHealth == null || discoveryHealth.healthy()) ? "UP" : "DOWN");
    builder.withDetail("listener", server == null ? "disabled"
        : server.isRunning() ? String.valueOf(server.localAddress()) : "not listening");
    if (discoveryHealth != null) {
      builder.withDetail("discovery", discoveryHealth.details());
    }
    Map<String, Map<String, Integer>> nodes = new TreeMap<>();
    for (NodeId known : client.knownNodes().keySet()) {
      nodes.computeIfAbsent(known.name(), name -> new TreeMap<>()).merge("known", 1, Integer::sum);
    }
    for (NodeConnection connection : client.activeConnections()) {
      nodes.computeIfAbsent(connection.node().id().name(), name -> new TreeMap<>()).merge("connected", 1, Integer::sum);
    }
    builder.withDetail("nodes", nodes);
  }
}
