package io.frpc.bench.pubsub;

import io.frpc.FrpcNode;
import io.frpc.NodeId;
import io.frpc.bench.Await;
import io.frpc.discovery.StaticNodeDiscovery.HostPort;
import io.frpc.discovery.StaticNodeDiscovery;
import io.frpc.pubsub.FrpcPublisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * frpc pub/sub with default settings: a publishing node {@code pub:1} listening on loopback, and per
 * subscriber a node of its own ({@code sub:1..n}, not serving) that subscribes to {@code pub}'s channel with
 * a {@code byte[]} payload type. Every node lives in this JVM with its own threads.
 */
final class FrpcPubSub implements PubSubSystem {

  private static final String HOST = "127.0.0.1";
  private static final NodeId PUBLISHER = new NodeId("pub", 1);

  @Override
  public String name() {
    return "frpc";
  }

  @Override
  public Publisher connect(SubscriberGroup subscribers) {
    List<FrpcNode> nodes = new ArrayList<>();
    try {
      FrpcNode publisher = FrpcNode.builder(PUBLISHER.name(), PUBLISHER.id()).listen(HOST, 0).build();
      nodes.add(publisher);
      publisher.start();
      Map<NodeId, HostPort> publisherAddress = Map.of(PUBLISHER, new HostPort(HOST,
          publisher.listenAddress().getPort()));
      int id = 1;
      for (Subscriber subscriber : subscribers.members()) {
        FrpcNode node = FrpcNode.builder("sub", id++).serve(false)
            .discovery(new StaticNodeDiscovery(publisherAddress)).build();
        nodes.add(node);
        node.start();
        node.template().channels(PUBLISHER.name()).subscribe(CHANNEL, byte[].class,
            message -> subscriber.receive(message.payload(), message.dropped()));
      }
      FrpcPublisher channels = publisher.publisher();
      int expected = subscribers.members().size();
      Await.until(() -> channels.subscriberCount(CHANNEL) == expected, Duration.ofSeconds(30),
          expected + " frpc subscriptions at the publisher");
      return new NodesPublisher(channels, nodes);
    } catch (RuntimeException e) {
      nodes.forEach(FrpcNode::close);
      throw e;
    }
  }

  /** Publishes through the publishing node; closing closes the subscriber nodes, then the publisher. */
  private record NodesPublisher(FrpcPublisher channels, List<FrpcNode> nodes) implements Publisher {

    @Override
    public void publish(byte[] payload) {
      channels.publish(CHANNEL, payload);
    }

    @Override
    public void close() {
      for (int i = nodes.size() - 1; i >= 0; i--) {
        nodes.get(i).close();
      }
    }
  }
}
