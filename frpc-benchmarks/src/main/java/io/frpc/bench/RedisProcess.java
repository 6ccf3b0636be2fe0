package io.frpc.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/**
 * A redis-server process, from the Linux binary in {@code com.github.codemonstur:embedded-redis}, bound to
 * loopback on a free port with persistence off ({@code save ""}, {@code appendonly no}).
 */
public final class RedisProcess implements AutoCloseable {

  public static final String HOST = "127.0.0.1";

  private final RedisServer server;
  private final int port;

  private RedisProcess(RedisServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /** Starts the process and returns once Redis accepts connections. */
  public static RedisProcess start() throws IOException {
    int port = freePort();
    RedisServer server = RedisServer.newRedisServer()
        .bind(HOST)
        .port(port)
        .setting("save \"\"")
        .setting("appendonly no")
        // Listeners make embedded-redis drain the process output, so its pipe never fills up.
        .soutListener(line -> { })
        .serrListener(line -> { })
        .build();
    server.start();
    return new RedisProcess(server, port);
  }

  public int port() {
    return port;
  }

  /** Stops the process and waits for it to end. */
  @Override
  public void close() throws IOException {
    server.stop();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for Redis", e);
    }
  }
}
