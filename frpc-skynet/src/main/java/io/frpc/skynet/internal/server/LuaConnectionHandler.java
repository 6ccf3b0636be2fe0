package io.frpc.skynet.internal.server;

import io.frpc.NodeId;
import io.frpc.bridge.ModuleBridge;
import io.frpc.skynet.LuaBinding;
import io.frpc.skynet.SkynetPack;
import io.frpc.skynet.internal.handshake.SkynetPeerIdentified;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for the handshake to name the skynet_fly node at the other end, then puts what serves it in its place: the
 * request handler on an RPC connection. A watch connection (pub/sub) is not served yet and is closed.
 */
final class LuaConnectionHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(LuaConnectionHandler.class);

  private final NodeId self;
  private final ModuleBridge modules;
  private final Map<String, String> aliases;
  private final SkynetPack pack;
  private final LuaBinding binding;

  LuaConnectionHandler(NodeId self, ModuleBridge modules, Map<String, String> aliases, SkynetPack pack,
      LuaBinding binding) {
    this.self = self;
    this.modules = modules;
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
    if (peer.watch()) {
      log.warn("skynet_fly node {} opened a watch connection (pub/sub), which this node does not serve yet; closing it",
          peer.clusterName());
      ctx.close();
      return;
    }
    NodeId caller = callerId(peer);
    log.info("skynet_fly node {} connected from {}{}", peer.clusterName(), ctx.channel().remoteAddress(),
        peer.encryptPayloads() ? " (payloads encrypted)" : "");
    ctx.pipeline().replace(this, "lua-requests", new LuaRequestHandler(self, caller,
        modules.connect(caller, ctx.channel().eventLoop()), aliases, pack, binding));
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
