package io.frpc.skynet.internal.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.skynet.LuaInteger;
import io.frpc.skynet.LuaString;
import io.frpc.skynet.LuaValue;
import io.frpc.skynet.SkynetPack;
import io.frpc.skynet.internal.frame.SkynetMessageDecoder;
import io.frpc.skynet.internal.frame.SkynetMessageDecoder.Direction;
import io.frpc.skynet.internal.frame.SkynetMessageEncoder;
import io.frpc.skynet.internal.frame.SkynetPush;
import io.frpc.skynet.internal.frame.SkynetRequest;
import io.frpc.skynet.internal.frame.SkynetResponse;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Our server handshake over TCP against a real skynet_fly client: serves {@code -Dskynet.live.serve=<plain port>,
 * <encrypt port>} (secret "pyk3y" with encryption on the second) on 127.0.0.1 and waits until skynet_fly's
 * {@code frpc_client_m} (the scratch area's {@code interop/client/client_pyserver.lua} pointed at those ports) has
 * completed both its RPC and its watch handshake on each, and a call of {@code add} was answered. Calls are answered
 * by a stand-in for module {@code interop_m} ({@code add} adds, everything else echoes), subscriptions are
 * acknowledged. Not part of the normal build. (interop_client_m then calls more forms than this stand-in answers
 * well, e.g. broadcast_call, whose reply it cannot read; let it stop after the {@code balance_call}s.)
 */
@EnabledIfSystemProperty(named = "skynet.live.serve", matches = "\\d+,\\d+")
class SkynetLiveClientTest {

  private static final SkynetPack PACK = SkynetPack.create();

  private final Set<String> identified = ConcurrentHashMap.newKeySet();
  private final Set<String> added = ConcurrentHashMap.newKeySet();
  private final AtomicLong pushSessions = new AtomicLong();

  @Test
  void skynetFlysClientCompletesBothHandshakesAtOurServerAndIsAnswered() throws InterruptedException {
    String[] ports = System.getProperty("skynet.live.serve").split(",");
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      Channel plain = serve(group, Integer.parseInt(ports[0]), SkynetSecurity.NONE);
      Channel encrypted = serve(group, Integer.parseInt(ports[1]), new SkynetSecurity("pyk3y", true));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      Set<String> expected = Set.of(ports[0] + " rpc interop_c:11", ports[0] + " watch interop_c:11",
          ports[1] + " rpc interop_c:11", ports[1] + " watch interop_c:11");
      while (System.nanoTime() < deadline && !(identified.containsAll(expected) && added.size() == 2)) {
        Thread.sleep(200);
      }
      System.out.println("identified " + identified + ", add answered on " + added);
      assertThat(identified).containsAll(expected);
      assertThat(added).containsExactlyInAnyOrder(ports[0], ports[1]);
      plain.close().syncUninterruptibly();
      encrypted.close().syncUninterruptibly();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private Channel serve(EventLoopGroup group, int port, SkynetSecurity security) {
    return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(SkynetMessageDecoder.lengthPrefixDecoder())
                .addLast(new SkynetMessageDecoder(Direction.REQUESTS))
                .addLast(new SkynetMessageEncoder())
                .addLast(new SkynetServerHandshake(security, new SecureRandom(), Duration.ofSeconds(10)))
                .addLast(new ChannelInboundHandlerAdapter() {
                  @Override
                  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt instanceof SkynetPeerIdentified peer) {
                      identified.add(port + (peer.watch() ? " watch " : " rpc ") + peer.clusterName());
                    }
                  }

                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    if (msg instanceof SkynetRequest request) {
                      answer(ctx, port, request);
                    }
                  }

                  @Override
                  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    System.out.println(port + ": " + cause);
                    ctx.close();
                  }
                });
          }
        }).bind("127.0.0.1", port).syncUninterruptibly().channel();
  }

  private void answer(ChannelHandlerContext ctx, int port, SkynetRequest request) {
    List<LuaValue> args = PACK.unpack(request.payload());
    if (request.packId() == 11 || request.packId() == 12) {
      ctx.writeAndFlush(new SkynetPush(request.packId(), pushSessions.incrementAndGet(),
          ((LuaString) args.get(0)).utf8(), PACK.pack(args.subList(1, args.size()))));
      return;
    }
    if (!request.expectsResponse()) {
      return;
    }
    if (args.size() == 3 && args.get(0).equals(LuaValue.of("add"))) {
      added.add(String.valueOf(port));
      long sum = ((LuaInteger) args.get(1)).value() + ((LuaInteger) args.get(2)).value();
      ctx.writeAndFlush(new SkynetResponse(request.session(), true, PACK.pack(LuaValue.of(sum))));
    } else {
      ctx.writeAndFlush(new SkynetResponse(request.session(), true,
          PACK.pack(args.subList(Math.min(1, args.size()), args.size()))));
    }
  }
}
