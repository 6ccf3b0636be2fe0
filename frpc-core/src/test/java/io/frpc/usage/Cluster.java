package io.frpc.usage;

import static org.awaitility.Awaitility.await;

import io.frpc.FrpcNode;
import io.frpc.HandlerDefinition;
import io.frpc.NodeId;
import io.frpc.discovery.StaticNodeDiscovery;
import io.frpc.discovery.StaticNodeDiscovery.HostPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Nodes on loopback built only through the public API, closed together. */
final class Cluster implements AutoCloseable {

  private final List<FrpcNode> nodes = new ArrayList<>();

  /** A started serving node. */
  FrpcNode server(String name, int id, HandlerDefinition... handlers) {
    FrpcNode.Builder builder = FrpcNode.builder(name, id).listen("127.0.0.1", 0).ioThreads(1)
        .shutdownTimeout(Duration.ofSeconds(1));
    for (HandlerDefinition handler : handlers) {
      builder.handler(handler);
    }
    return started(builder);
  }

  /** A started pure caller with static discovery of {@code servers}, connected to all of them. */
  FrpcNode caller(Duration connectWait, FrpcNode... servers) {
    Map<NodeId, HostPort> addresses = new LinkedHashMap<>();
    for (FrpcNode server : servers) {
      addresses.put(server.id(), new HostPort("127.0.0.1", server.listenAddress().getPort()));
    }
    FrpcNode caller = started(callerBuilder(connectWait, addresses));
    await().atMost(Duration.ofSeconds(10)).until(() -> caller.connectedNodes().size() == servers.length);
    return caller;
  }

  /** A pure caller's builder with static discovery of {@code addresses}. */
  FrpcNode.Builder callerBuilder(Duration connectWait, Map<NodeId, HostPort> addresses) {
    return FrpcNode.builder("caller", 1).serve(false).ioThreads(1).connectWait(connectWait)
        .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
        .discovery(new StaticNodeDiscovery(addresses));
  }

  FrpcNode started(FrpcNode.Builder builder) {
    FrpcNode node = builder.build();
    nodes.add(node);
    node.start();
    return node;
  }

  @Override
  public void close() {
    nodes.forEach(FrpcNode::close);
  }
}
