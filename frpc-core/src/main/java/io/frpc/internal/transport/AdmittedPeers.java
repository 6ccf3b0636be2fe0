package io.frpc.internal.transport;

import io.frpc.NodeId;
import io.netty.channel.Channel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The identities admitted to a listener with a live connection: one connection per identity. The same
 * process (same boot id) connecting again replaces its earlier connection, which it has given up on even if
 * this side has not seen it close yet (a close in flight, a peer gone without a FIN); another process under
 * a connected identity is refused.
 */
final class AdmittedPeers {

  private record Holder(Channel channel, String bootId) {
  }

  private final Map<NodeId, Holder> live = new ConcurrentHashMap<>();

  /**
   * Claims {@code node} for {@code channel} until it closes; false when another open connection of another
   * process (boot id) holds it. An open connection of the same process is closed.
   */
  boolean claim(NodeId node, String bootId, Channel channel) {
    Holder claimant = new Holder(channel, bootId);
    Holder[] replaced = new Holder[1];
    Holder holder = live.compute(node, (id, current) -> {
      if (current == null || !current.channel().isActive()) {
        return claimant;
      }
      if (current.bootId().equals(bootId)) {
        replaced[0] = current;
        return claimant;
      }
      return current;
    });
    if (holder != claimant) {
      return false;
    }
    channel.closeFuture().addListener(f -> live.remove(node, claimant));
    if (replaced[0] != null) {
      replaced[0].channel().close();
    }
    return true;
  }
}
