package io.frpc.internal.transport;

import io.frpc.NodeId;
import io.netty.channel.Channel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The identities admitted to a listener with a live connection: one connection per identity. */
final class AdmittedPeers {

  private final Map<NodeId, Channel> live = new ConcurrentHashMap<>();

  /** Claims {@code node} for {@code channel} until it closes; false when another open connection holds it. */
  boolean claim(NodeId node, Channel channel) {
    Channel holder = live.compute(node, (id, current) -> current != null && current.isActive() ? current : channel);
    if (holder != channel) {
      return false;
    }
    channel.closeFuture().addListener(f -> live.remove(node, channel));
    return true;
  }
}
