package io.frpc.skynet.client;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;

/**
 * Fake Lua servers (svr_name "lua") and clients (svr_name "java", id 9) connected to them, closed after each test.
 */
abstract class FakeNodesSupport {

  static final String LUA = "lua";

  final EventLoopGroup serverLoops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final List<AutoCloseable> toClose = new ArrayList<>();

  FakeLuaServer server(int svrId) {
    return server(svrId, 0);
  }

  FakeLuaServer server(int svrId, int port) {
    return server(svrId, port, null);
  }

  /** A server running skynet_fly's server handshake with {@code security}. */
  FakeLuaServer server(int svrId, int port, io.frpc.skynet.internal.handshake.SkynetSecurity security) {
    FakeLuaServer server = bind(svrId, port, security);
    toClose.add(server);
    return server;
  }

  /**
   * Binds a server, retrying a given port for a while: the client, reconnecting to a port nobody listens on, may
   * hold it for a moment (as its own local port: a TCP self-connect), as may other processes on a busy machine.
   */
  private FakeLuaServer bind(int svrId, int port, io.frpc.skynet.internal.handshake.SkynetSecurity security) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        return new FakeLuaServer(serverLoops, svrId, port, security);
      } catch (Exception e) {
        if (port == 0 || !(e instanceof java.net.BindException) || System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new AssertionError(interrupted);
        }
      }
    }
  }

  /** A client of these servers with a short connect wait and reconnect delay, not started. */
  SkynetNodes.Builder client(FakeLuaServer... servers) {
    SkynetNodes.Builder builder = SkynetNodes.builder("java", 9)
        .connectWait(Duration.ofSeconds(3)).reconnectDelay(Duration.ofMillis(100));
    for (FakeLuaServer server : servers) {
      builder.node(SkynetRemoteNode.of(LUA, server.svrId, "127.0.0.1:" + server.port()));
    }
    return builder;
  }

  /** A started client whose nodes are all active. */
  SkynetNodes connected(SkynetNodes.Builder builder, int nodeCount) {
    SkynetNodes nodes = builder.build();
    toClose.add(nodes);
    nodes.start();
    await(() -> nodes.activeNodeIds(LUA).size() == nodeCount, "all " + nodeCount + " nodes active");
    return nodes;
  }

  SkynetNodes connected(FakeLuaServer... servers) {
    return connected(client(servers), servers.length);
  }

  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 5 s: " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    serverLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
