package io.frpc.skynet.internal.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.skynet.LuaValue;
import io.frpc.skynet.SkynetPack;
import io.frpc.skynet.internal.frame.SkynetMessageDecoder;
import io.frpc.skynet.internal.frame.SkynetMessageDecoder.Direction;
import io.frpc.skynet.internal.frame.SkynetMessageEncoder;
import io.frpc.skynet.internal.frame.SkynetPush;
import io.frpc.skynet.internal.frame.SkynetRequest;
import io.frpc.skynet.internal.frame.SkynetResponse;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Our client handshake over TCP against real skynet_fly servers: the interop nodes of the scratch area
 * ({@code interop/node/node_plain.lua}, {@code node_secret.lua} with secret "k3yone", {@code node_encrypt.lua} with
 * "s3cr3t" and encryption, module {@code interop_m}). Runs only when started with
 * {@code -Dskynet.live.ports=<plain>,<secret>,<encrypt>} (on 127.0.0.1); not part of the normal build.
 */
@EnabledIfSystemProperty(named = "skynet.live.ports", matches = "\\d+,\\d+,\\d+")
class SkynetLiveNodeTest {

  private static final SkynetPack PACK = SkynetPack.create();
  private static final SkynetSecurity SECRET = new SkynetSecurity("k3yone", false);
  private static final SkynetSecurity ENCRYPT = new SkynetSecurity("s3cr3t", true);

  private static EventLoopGroup group;
  private static int plainPort;
  private static int secretPort;
  private static int encryptPort;

  @BeforeAll
  static void start() {
    String[] ports = System.getProperty("skynet.live.ports").split(",");
    plainPort = Integer.parseInt(ports[0]);
    secretPort = Integer.parseInt(ports[1]);
    encryptPort = Integer.parseInt(ports[2]);
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  }

  @AfterAll
  static void stop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** One connection and everything that reached the end of its pipeline. */
  private record Live(Channel channel, BlockingQueue<Object> received, AtomicLong sessions) {

    Object next() throws InterruptedException {
      Object next = received.poll(15, TimeUnit.SECONDS);
      assertThat(next).as("something within 15 s").isNotNull();
      return next;
    }

    void close() {
      channel.close().syncUninterruptibly();
    }
  }

  private static Live connect(int port, SkynetSecurity security, boolean watch) {
    BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    AtomicLong sessions = new AtomicLong();
    Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast("frames", SkynetMessageDecoder.lengthPrefixDecoder())
                .addLast("decoder", new SkynetMessageDecoder(Direction.RESPONSES))
                .addLast("encoder", new SkynetMessageEncoder())
                .addLast("handshake", new SkynetClientHandshake("java_c", 11, security, watch,
                    sessions::incrementAndGet, new SecureRandom(), Duration.ofSeconds(12)))
                .addLast("collector", new ChannelInboundHandlerAdapter() {
                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    received.add(msg);
                  }

                  @Override
                  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt instanceof SkynetHandshakeCompleted && watch) {
                      ctx.pipeline().replace("decoder", "decoder", new SkynetMessageDecoder(Direction.PUSHES));
                    }
                    received.add(evt);
                  }

                  @Override
                  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    received.add(cause);
                  }
                });
          }
        }).connect("127.0.0.1", port).syncUninterruptibly().channel();
    return new Live(channel, received, sessions);
  }

  private static void callsAddAndFail(int port, SkynetSecurity security) throws InterruptedException {
    Live live = connect(port, security, false);
    try {
      assertThat(live.next()).isInstanceOf(SkynetHandshakeCompleted.class);
      long add = live.sessions().incrementAndGet();
      live.channel().writeAndFlush(new SkynetRequest(200, "interop_m", "", add, 0, true,
          PACK.pack(LuaValue.of("add"), LuaValue.of(40), LuaValue.of(2))));
      assertThat(live.next()).isEqualTo(new SkynetResponse(add, true, PACK.pack(LuaValue.of(42))));
      long fail = live.sessions().incrementAndGet();
      live.channel().writeAndFlush(new SkynetRequest(200, "interop_m", "", fail, 0, true,
          PACK.pack(LuaValue.of("fail"), LuaValue.of("boom"))));
      Object failed = live.next();
      assertThat(failed).isInstanceOfSatisfying(SkynetResponse.class, response -> {
        assertThat(response.ok()).isFalse();
        assertThat(new String(response.payload(), StandardCharsets.UTF_8)).startsWith("call err ");
      });
    } finally {
      live.close();
    }
  }

  private static void subscribes(int port, SkynetSecurity security) throws InterruptedException {
    Live live = connect(port, security, true);
    try {
      assertThat(live.next()).isInstanceOf(SkynetHandshakeCompleted.class);
      live.channel().writeAndFlush(new SkynetRequest(11, "", "", live.sessions().incrementAndGet(), 0, false,
          PACK.pack(LuaValue.of("interop_pub"), LuaValue.of(17), LuaValue.of("java_c:1"))));
      Object ack = live.next();
      assertThat(ack).isInstanceOfSatisfying(SkynetPush.class, push -> {
        assertThat(push.packId()).isEqualTo(11);
        assertThat(PACK.unpack(push.payload())).containsExactly(LuaValue.of(17), LuaValue.of("java_c:1"));
      });
      Object tick = live.next();
      assertThat(tick).isInstanceOfSatisfying(SkynetPush.class, push -> {
        assertThat(push.packId()).isEqualTo(10);
        assertThat(PACK.unpack(push.payload()).get(0)).isEqualTo(LuaValue.of("tick"));
      });
    } finally {
      live.close();
    }
  }

  @Test
  void plainCalls() throws InterruptedException {
    callsAddAndFail(plainPort, SkynetSecurity.NONE);
  }

  @Test
  void secretOnlyCalls() throws InterruptedException {
    callsAddAndFail(secretPort, SECRET);
  }

  @Test
  void encryptedCalls() throws InterruptedException {
    callsAddAndFail(encryptPort, ENCRYPT);
  }

  @Test
  void plainSubscription() throws InterruptedException {
    subscribes(plainPort, SkynetSecurity.NONE);
  }

  @Test
  void secretOnlySubscriptionWorksWithOurClientWhereSkynetFlysFails() throws InterruptedException {
    subscribes(secretPort, SECRET);
  }

  @Test
  void encryptedSubscription() throws InterruptedException {
    subscribes(encryptPort, ENCRYPT);
  }

  @Test
  void aWrongSecretIsRefused() throws InterruptedException {
    Live live = connect(encryptPort, new SkynetSecurity("wrong", true), false);
    try {
      assertThat(live.next()).isInstanceOf(SkynetHandshakeException.class).extracting(Object::toString).asString()
          .contains("refused our secret key");
    } finally {
      live.close();
    }
  }

  @Test
  void aClientWithoutSecretAtAServerWithOneTimesOutWithTheLikelyCause() throws InterruptedException {
    Live live = connect(secretPort, SkynetSecurity.NONE, false);
    try {
      assertThat(live.next()).isInstanceOf(SkynetHandshakeException.class).extracting(Object::toString).asString()
          .contains("closed the connection during the identity");
    } finally {
      live.close();
    }
  }
}
