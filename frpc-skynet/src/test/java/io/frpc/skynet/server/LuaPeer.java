package io.frpc.skynet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.skynet.LuaValue;
import io.frpc.skynet.SkynetPack;
import io.frpc.skynet.internal.frame.SkynetMessage;
import io.frpc.skynet.internal.frame.SkynetMessageDecoder;
import io.frpc.skynet.internal.frame.SkynetMessageEncoder;
import io.frpc.skynet.internal.frame.SkynetRequest;
import io.frpc.skynet.internal.handshake.SkynetClientHandshake;
import io.frpc.skynet.internal.handshake.SkynetHandshakeCompleted;
import io.frpc.skynet.internal.handshake.SkynetSecurity;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A skynet_fly node's connection to a SkynetServer, as its frpc_client_m opens one: the handshake, then requests
 * (an RPC connection) or subscriptions (a watch connection, whose decoder reads pushes once the handshake is done).
 */
final class LuaPeer implements AutoCloseable {

  static final SkynetPack PACK = SkynetPack.create();

  final AtomicLong sessions = new AtomicLong();
  final CompletableFuture<SkynetHandshakeCompleted> handshake = new CompletableFuture<>();
  final BlockingQueue<SkynetMessage> received = new LinkedBlockingQueue<>();
  final Channel channel;

  LuaPeer(EventLoopGroup group, InetSocketAddress server, SkynetSecurity security, boolean watch) {
    channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(SkynetMessageDecoder.lengthPrefixDecoder())
                .addLast("messages", new SkynetMessageDecoder(SkynetMessageDecoder.Direction.RESPONSES))
                .addLast(new SkynetMessageEncoder())
                .addLast(new SkynetClientHandshake("lua_c", 9, security, watch, sessions::incrementAndGet,
                    new SecureRandom(), Duration.ofSeconds(5)))
                .addLast(new ChannelInboundHandlerAdapter() {
                  @Override
                  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                    if (event instanceof SkynetHandshakeCompleted completed) {
                      if (watch) {
                        ctx.pipeline().replace("messages", "messages",
                            new SkynetMessageDecoder(SkynetMessageDecoder.Direction.PUSHES));
                      }
                      handshake.complete(completed);
                    }
                  }

                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object message) {
                    received.add((SkynetMessage) message);
                  }

                  @Override
                  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    handshake.completeExceptionally(cause);
                  }

                  @Override
                  public void channelInactive(ChannelHandlerContext ctx) {
                    handshake.completeExceptionally(new IllegalStateException("closed"));
                  }
                });
          }
        }).connect(server).syncUninterruptibly().channel();
  }

  /** Waits for the handshake. */
  LuaPeer ready() throws Exception {
    handshake.get(10, TimeUnit.SECONDS);
    return this;
  }

  /** Sends a request (a call when {@code reply}) and returns its session. */
  long request(int packId, String module, String instance, long modKey, boolean reply, LuaValue... values) {
    long session = sessions.incrementAndGet();
    channel.writeAndFlush(new SkynetRequest(packId, module, instance, session, modKey, reply, PACK.pack(values)));
    return session;
  }

  /** The next message received, within 10 s. */
  @SuppressWarnings("unchecked")
  <T extends SkynetMessage> T next(Class<T> type) throws InterruptedException {
    SkynetMessage message = received.poll(10, TimeUnit.SECONDS);
    assertThat(message).as("a %s", type.getSimpleName()).isInstanceOf(type);
    return (T) message;
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }
}
