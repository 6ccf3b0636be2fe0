package io.frpc.bench.scale;

import io.frpc.LocalNode;
import io.frpc.NodeDownReason;
import io.frpc.NodeId;
import io.frpc.discovery.DiscoveryContext;
import io.frpc.discovery.RegistrationSignatures;
import io.frpc.time.FrpcClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a watching node's client would be told, with the time of each first report. Holds no connections: a
 * probe of a node whose registration vanished finds none, as for a node that is really gone.
 */
final class RecordingContext implements DiscoveryContext {

  private final LocalNode local;
  private final Map<NodeId, Long> up = new ConcurrentHashMap<>();
  private final Map<NodeId, Long> down = new ConcurrentHashMap<>();

  private final FrpcClock clock;

  RecordingContext(int id, FrpcClock clock) {
    this.local = LocalNode.start("lobby", id);
    this.clock = clock;
  }

  @Override
  public void nodeAvailable(NodeId node, String host, int port) {
    up.putIfAbsent(node, System.nanoTime());
  }

  @Override
  public void nodeUnavailable(NodeId node, NodeDownReason reason) {
    down.putIfAbsent(node, System.nanoTime());
  }

  @Override
  public CompletableFuture<Boolean> probe(NodeId node, Duration timeout) {
    return CompletableFuture.completedFuture(false);
  }

  @Override
  public LocalNode localNode() {
    return local;
  }

  @Override
  public InetSocketAddress listenAddress() {
    return null;
  }

  @Override
  public RegistrationSignatures registrationSignatures() {
    return RegistrationSignatures.NONE;
  }

  @Override
  public FrpcClock clock() {
    return clock;
  }

  /** When {@code node} was first reported available, or {@code null}. */
  Long upNanos(NodeId node) {
    return up.get(node);
  }

  /** When {@code node} was first reported gone, or {@code null}. */
  Long downNanos(NodeId node) {
    return down.get(node);
  }

  int upCount() {
    return up.size();
  }
}
