package io.frpc.skynet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frpc.FrpcNode;
import io.frpc.HandlerDefinition;
import io.frpc.Transport;
import io.frpc.skynet.LuaInteger;
import io.frpc.skynet.LuaString;
import io.frpc.skynet.LuaValue;
import io.frpc.skynet.SkynetPack;
import io.frpc.skynet.internal.frame.PackIds;
import io.frpc.skynet.internal.frame.SkynetMessageDecoder;
import io.frpc.skynet.internal.frame.SkynetMessageEncoder;
import io.frpc.skynet.internal.frame.SkynetRequest;
import io.frpc.skynet.internal.frame.SkynetResponse;
import io.frpc.skynet.internal.handshake.SkynetClientHandshake;
import io.frpc.skynet.internal.handshake.SkynetHandshakeCompleted;
import io.frpc.skynet.internal.handshake.SkynetSecurity;
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
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A SkynetServer on real loopback TCP, called as a skynet_fly client calls it (its handshake, then requests), with
 * no secret, a secret key, and a secret key with encryption; callers that are configured differently are refused.
 */
class SkynetServerTest {

  private static final SkynetPack PACK = LuaPeer.PACK;

  private final EventLoopGroup clients = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private FrpcNode node;
  private SkynetServer server;

  /** Module "calc". */
  public static final class Calc {
    public long add(long a, long b) {
      return a + b;
    }

    public String big(int bytes) {
      return "x".repeat(bytes);
    }
  }

  @BeforeEach
  void startNode() {
    node = FrpcNode.builder("java_s", 1).transport(Transport.IN_JVM)
        .handler(HandlerDefinition.of("calc", null, 2, instance -> new Calc())).build();
    node.start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    node.close();
    clients.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  private void serve(String secretKey, boolean encrypt) {
    server = SkynetServer.builder(node).listen("127.0.0.1", 0).security(secretKey, encrypt)
        .handshakeTimeout(Duration.ofSeconds(3)).build();
    server.start();
  }

  private static List<LuaValue> call(LuaPeer caller, int packId, long modKey, LuaValue... values)
      throws InterruptedException {
    long session = caller.request(packId, "calc", "", modKey, true, values);
    SkynetResponse response = caller.next(SkynetResponse.class);
    assertThat(response.session()).isEqualTo(session);
    assertThat(response.ok()).as(new String(response.payload(), StandardCharsets.UTF_8)).isTrue();
    return PACK.unpack(response.payload());
  }

  private void callsWork(SkynetSecurity security) throws Exception {
    try (LuaPeer caller = new LuaPeer(clients, server.address(), security, false)) {
      SkynetHandshakeCompleted completed = caller.handshake.get(10, TimeUnit.SECONDS);
      assertThat(completed.encryptPayloads()).isEqualTo(security.encrypt());
      assertThat(call(caller, PackIds.BALANCE_CALL, 0, LuaString.of("add"), new LuaInteger(40), new LuaInteger(2)))
          .containsExactly(new LuaInteger(42));
      assertThat(call(caller, PackIds.MOD_CALL, 5, LuaString.of("add"), new LuaInteger(-1), new LuaInteger(1)))
          .containsExactly(new LuaInteger(0));
      // over 32 KiB each way: requests and responses in parts, encrypted as a whole
      LuaValue reply = call(caller, PackIds.BALANCE_CALL, 0, LuaString.of("big"), new LuaInteger(100_000)).get(0);
      assertThat(((LuaString) reply).length()).isEqualTo(100_000);
    }
  }

  @Test
  void aCallerWithoutSecretCalls() throws Exception {
    serve(null, false);
    callsWork(SkynetSecurity.NONE);
  }

  @Test
  void aCallerWithTheSecretKeyCalls() throws Exception {
    serve("the-key", false);
    callsWork(new SkynetSecurity("the-key", false));
  }

  @Test
  void aCallerWithTheSecretKeyAndEncryptionCalls() throws Exception {
    serve("the-key", true);
    callsWork(new SkynetSecurity("the-key", true));
  }

  @Test
  void aCallerWithAnotherSecretKeyIsRefused() {
    serve("the-key", false);
    try (LuaPeer caller = new LuaPeer(clients, server.address(), new SkynetSecurity("not-the-key", false), false)) {
      assertThatThrownBy(() -> caller.handshake.get(10, TimeUnit.SECONDS)).hasMessageContaining("secret_key err");
    }
  }

  @Test
  void aCallerWithoutTheSecretIsClosedAfterTheHandshakeTimeout() {
    serve("the-key", false);
    try (LuaPeer caller = new LuaPeer(clients, server.address(), SkynetSecurity.NONE, false)) {
      assertThatThrownBy(() -> caller.handshake.get(10, TimeUnit.SECONDS)).isNotNull();
      assertThat(caller.channel.closeFuture().awaitUninterruptibly(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void connectionsBeyondTheLimitAreClosedAsTheyArrive() throws Exception {
    server = SkynetServer.builder(node).listen("127.0.0.1", 0).maxConnections(2).build();
    server.start();
    try (LuaPeer first = new LuaPeer(clients, server.address(), SkynetSecurity.NONE, false).ready();
        LuaPeer second = new LuaPeer(clients, server.address(), SkynetSecurity.NONE, false).ready();
        LuaPeer third = new LuaPeer(clients, server.address(), SkynetSecurity.NONE, false)) {
      assertThat(third.channel.closeFuture().awaitUninterruptibly(10, TimeUnit.SECONDS)).isTrue();
      assertThat(call(first, PackIds.BALANCE_CALL, 0, LuaString.of("add"), new LuaInteger(1), new LuaInteger(1)))
          .containsExactly(new LuaInteger(2));
      assertThat(second.channel.isActive()).isTrue();
    }
  }

  @Test
  void aRequestLargerThanTheMaximumClosesItsConnection() throws Exception {
    server = SkynetServer.builder(node).listen("127.0.0.1", 0).maxMessageSize(40_000).build();
    server.start();
    try (LuaPeer caller = new LuaPeer(clients, server.address(), SkynetSecurity.NONE, false).ready()) {
      // announced in a head frame of parts: refused before the parts arrive
      caller.request(PackIds.BALANCE_CALL, "calc", "", 0, true, LuaString.of("big"),
          LuaString.of("x".repeat(100_000)));
      assertThat(caller.channel.closeFuture().awaitUninterruptibly(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
