package io.frpc.spring.autoconfigure;

import io.frpc.FrpcNode;
import io.frpc.NodeDownReason;
import io.frpc.NodeId;
import io.frpc.NodeListener;
import io.frpc.RemoteNode;
import io.frpc.status.RemoteNodeState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The node's gauges and counters: {@code frpc.nodes.active} (tag name, per node name discovery reports),
 * {@code frpc.nodes} (tags name and state: connecting, up, draining, down),
 * {@code frpc.client.pending.calls}, {@code frpc.server.requests.in.flight} (queued or running, all
 * mailboxes), {@code frpc.inbound.bytes.held} (of {@code frpc.max-inbound-bytes}), {@code frpc.bytes.received} /
 * {@code frpc.bytes.sent}, {@code frpc.client.reconnects} and {@code frpc.pubsub.dropped}; and Micrometer's
 * {@code netty.allocator.*} meters of the two Netty allocators frpc's buffers come from, which are the JVM's, shared by
 * every node and Netty user in it: the channels' default allocator and the pooled one large frames are encoded into.
 */
final class FrpcMeterBinder implements MeterBinder {

  private final FrpcNode node;

  FrpcMeterBinder(FrpcNode node) {
    this.node = node;
  }

  private static long nodesIn(FrpcNode node, String name, RemoteNodeState state) {
    return node.status().nodes().stream().filter(remote -> remote.id().name().equals(name) && remote.state() == state)
        .count();
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (String name : node.discoveredNames()) {
      Gauge.builder("frpc.nodes.active", node, n -> n.template().activeNodeIds(name).size())
          .description("Connected nodes of a name").tag("name", name).register(registry);
      for (RemoteNodeState state : RemoteNodeState.values()) {
        Gauge.builder("frpc.nodes", node, n -> nodesIn(n, name, state))
            .description("Nodes of a name discovery reported, by the state of their connection")
            .tags("name", name, "state", state.name().toLowerCase(Locale.ROOT)).register(registry);
      }
    }
    Gauge.builder("frpc.client.pending.calls", node, FrpcNode::pendingCalls)
        .description("Calls waiting for their reply").register(registry);
    Gauge.builder("frpc.server.requests.in.flight", node, FrpcNode::requestsInFlight)
        .description("Requests queued or running on this node's handler instances").register(registry);
    Gauge.builder("frpc.inbound.bytes.held", node, FrpcNode::inboundBytesHeld).baseUnit("bytes")
        .description("Memory held by large messages being received, waiting to be decoded or viewed by open FrpcBytes "
            + "(frpc.max-inbound-bytes)").register(registry);
    FunctionCounter.builder("frpc.bytes.received", node, FrpcNode::bytesReceived).baseUnit("bytes")
        .description("Bytes received on all connections").register(registry);
    FunctionCounter.builder("frpc.bytes.sent", node, FrpcNode::bytesSent).baseUnit("bytes")
        .description("Bytes sent on all connections").register(registry);
    FunctionCounter.builder("frpc.pubsub.dropped", node, n -> n.publisher().droppedMessages())
        .description("Publications not sent to a subscriber that was not keeping up").register(registry);
    if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider channels) {
      new NettyAllocatorMetrics(channels).bindTo(registry);
    }
    new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT).bindTo(registry);
    Counter reconnects = Counter.builder("frpc.client.reconnects")
        .description("Connections to a node established again after it was down").register(registry);
    // nodes discovery still knows: one that left it (deregistered, expired) comes back as a new node, so
    // the set holds no more ids than discovery does; listeners run one at a time on the events thread
    Set<NodeId> seen = new HashSet<>();
    node.addListener(new NodeListener() {
      @Override
      public void nodeUp(RemoteNode remote) {
        if (!seen.add(remote.id())) {
          reconnects.increment();
        }
      }

      @Override
      public void nodeDown(RemoteNode remote, NodeDownReason reason) {
        if (reason == NodeDownReason.DEREGISTERED || reason == NodeDownReason.EXPIRED) {
          seen.remove(remote.id());
        }
      }
    });
  }
}
