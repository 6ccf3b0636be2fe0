package io.frpc.skynet.client;

import io.frpc.NodeId;
import io.frpc.skynet.LuaTable;
import io.frpc.skynet.LuaValue;
import io.frpc.skynet.SkynetPack;
import io.frpc.skynet.internal.client.RemoteNodeSettings;
import io.frpc.skynet.internal.client.SkynetHandshake;
import io.frpc.skynet.internal.frame.SkynetRequest;
import io.frpc.skynet.internal.frame.SkynetResponse;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Test scope only: skynet_fly's handshake with a node that has neither secret nor encryption (FACTS §3.1), one
 * request {@code pack({svr_name = ..., svr_id = ...})} answered with {@code pack("ok")}. Stands in the client's
 * handshake slot until the module has skynet_fly's full handshake.
 */
final class IdentityHandshake implements SkynetHandshake {

  static final Object ACCEPTED = new Object() {
    @Override
    public String toString() {
      return "identity accepted";
    }
  };

  private static final SkynetPack PACK = SkynetPack.create();

  @Override
  public void install(ChannelPipeline pipeline, NodeId self, RemoteNodeSettings node, LongSupplier sessions) {
    pipeline.addLast("handshake", new Step(self, sessions));
  }

  @Override
  public boolean isCompletion(Object userEvent) {
    return userEvent == ACCEPTED;
  }

  private static final class Step extends ChannelInboundHandlerAdapter {

    private final NodeId self;
    private final LongSupplier sessions;
    private long session;

    Step(NodeId self, LongSupplier sessions) {
      this.self = self;
      this.sessions = sessions;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      session = sessions.getAsLong();
      LuaTable identity = LuaTable.builder().put("svr_name", LuaValue.of(self.name()))
          .put("svr_id", LuaValue.of(self.id())).build();
      ctx.writeAndFlush(new SkynetRequest(1, "hand_shake", "", session, 0, true, PACK.pack(identity)));
      super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
      if (message instanceof SkynetResponse response && response.session() == session) {
        if (response.ok() && PACK.unpack(response.payload()).equals(List.of(LuaValue.of("ok")))) {
          ctx.fireUserEventTriggered(ACCEPTED);
          ctx.pipeline().remove(this);
        } else {
          ctx.close();
        }
        return;
      }
      super.channelRead(ctx, message);
    }
  }
}
