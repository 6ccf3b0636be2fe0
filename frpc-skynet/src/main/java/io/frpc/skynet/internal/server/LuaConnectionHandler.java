package io.frpc.skynet.internal.server;

import io.frpc.NodeId;
import io.frpc.bridge.NodeBridge;
import io.frpc.skynet.LuaBinding;
import io.frpc.skynet.SkynetPack;
import io.frpc.skynet.internal.handshake.SkynetPeerIdentified;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for the handshake to name the skynet_fly node at the other end, then puts what serves it in its place: the
 * request handler on an RPC connection, the subscription handler on a watch connection.
 */
final class LuaConnectionHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(LuaConnectionHandler.class);

  private final NodeId self;
  private final NodeBridge node;
  private final Map<String, String> aliases;
  private final SkynetPack pack;
  private final LuaBinding binding;

  private final LongSupplier pushSessions;

  LuaConnectionHandler(NodeId self, NodeBridge node, Map<String, String> aliases, SkynetPack pack,
      LuaBinding binding, LongSupplier pushSessions) {
    this.self = self;
    this.node = node;
    this.pushSessions = pushSessions;
    this.aliases = aliases;
    this.pack = pack;
    this.binding = binding;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (!(event instanceof SkynetPeerIdentified peer)) {
      super.userEventTriggered(ctx, event);
      return;
    }
    NodeId caller = callerId(peer);
    if (peer.watch()) {
      log.info("skynet_fly node {} watches this node's channels from {}", peer.clusterName(),
          ctx.channel().remoteAddress());
      ctx.pipeline().replace(this, "lua-watch", new LuaWatchHandler(caller, node, ctx.channel(), pack, binding,
          pushSessions));
      return;
    }
    log.info("skynet_fly node {} connected from {}{}", peer.clusterName(), ctx.channel().remoteAddress(),
        peer.encryptPayloads() ? " (payloads encrypted)" : "");
    ctx.pipeline().replace(this, "lua-requests", new LuaRequestHandler(self, caller,
        node.connect(caller, ctx.channel().eventLoop()), aliases, pack, binding));
  }

  /**
   * The caller as an frpc node id, for logs, metrics and {@code FrpcCall.caller()}: skynet_fly ids are any Lua
   * integer, frpc ids are ints.
   */
  private static NodeId callerId(SkynetPeerIdentified peer) {
    int id = peer.svrId() >= 0 && peer.svrId() <= Integer.MAX_VALUE ? (int) peer.svrId() : 0;
    return new NodeId(peer.svrName(), id);
  }
}
