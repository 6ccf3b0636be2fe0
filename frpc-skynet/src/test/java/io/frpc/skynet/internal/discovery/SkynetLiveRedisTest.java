package io.frpc.skynet.internal.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.skynet.internal.frame.SkynetMessageDecoder;
import io.frpc.skynet.internal.frame.SkynetMessageDecoder.Direction;
import io.frpc.skynet.internal.frame.SkynetMessageEncoder;
import io.frpc.skynet.internal.handshake.SkynetPeerIdentified;
import io.frpc.skynet.internal.handshake.SkynetSecurity;
import io.frpc.skynet.internal.handshake.SkynetServerHandshake;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Discovery with real skynet_fly nodes through a real Redis, both ways: {@code -Dskynet.live.redis=<redis port>,
 * <skynet_fly node port>,<port to serve>}. The watcher must report the skynet_fly node {@code interop_s:4} (the
 * scratch area's {@code interop/node/node_redis.lua}, registered by skynet_fly itself); a Java server registered by
 * the registrar as {@code java_s:9} must be found and connected by skynet_fly's client ({@code client_redis.lua} with
 * {@code node_map = {java_s = true}, watch = "redis"}), which completes the handshake. Not part of the normal build.
 */
@EnabledIfSystemProperty(named = "skynet.live.redis", matches = "\\d+,\\d+,\\d+")
class SkynetLiveRedisTest {

  @Test
  void skynetFlyAndJavaNodesFindEachOtherInRedis() throws Exception {
    String[] ports = System.getProperty("skynet.live.redis").split(",");
    int nodePort = Integer.parseInt(ports[1]);
    int servePort = Integer.parseInt(ports[2]);
    LettuceConnectionFactory connections = new LettuceConnectionFactory("127.0.0.1", Integer.parseInt(ports[0]));
    connections.afterPropertiesSet();
    connections.start();
    StringRedisTemplate redis = new StringRedisTemplate(connections);
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    List<SkynetNode> up = new CopyOnWriteArrayList<>();
    List<SkynetPeerIdentified> identified = new CopyOnWriteArrayList<>();
    try (SkynetNodeWatcher watcher = new SkynetNodeWatcher(redis, Set.of("interop_s"), new RegisteredNodeListener() {
          @Override
          public void nodeUp(SkynetNode node) {
            up.add(node);
          }

          @Override
          public void nodeDown(SkynetNode node) {
          }
        });
        SkynetNodeRegistrar registrar = new SkynetNodeRegistrar(redis, "java_s", 9, "127.0.0.1:" + servePort,
            SkynetSecurity.NONE, scheduler)) {
      Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast(SkynetMessageDecoder.lengthPrefixDecoder())
                  .addLast(new SkynetMessageDecoder(Direction.REQUESTS)).addLast(new SkynetMessageEncoder())
                  .addLast(new SkynetServerHandshake(SkynetSecurity.NONE, new SecureRandom(), Duration.ofSeconds(10)))
                  .addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                      if (evt instanceof SkynetPeerIdentified peer) {
                        identified.add(peer);
                      }
                    }

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                      // calls stay unanswered: only the handshake is under test
                    }
                  });
            }
          }).bind("127.0.0.1", servePort).syncUninterruptibly().channel();
      watcher.start();
      registrar.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline && (up.isEmpty() || identified.isEmpty())) {
        Thread.sleep(200);
      }
      System.out.println("watcher saw " + up + "; our server identified " + identified + "; java_s:9 = "
          + redis.opsForValue().get("skynet_fly:rpc:java_s:9"));
      assertThat(up).contains(new SkynetNode("interop_s", 4, "127.0.0.1", nodePort, SkynetSecurity.NONE));
      assertThat(identified).extracting(SkynetPeerIdentified::clusterName).contains("interop_c:8");
      server.close().syncUninterruptibly();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      scheduler.shutdownNow();
      connections.destroy();
    }
  }
}
