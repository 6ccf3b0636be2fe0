package io.frpc.discovery.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import redis.embedded.core.ExecutableProvider;

/**
 * One redis-server process, a data server or a sentinel, run from the binary shipped in
 * {@code com.github.codemonstur:embedded-redis} on {@code 127.0.0.1} with persistence off. Its output goes to
 * a log file in its own folder. {@link #kill()} ends it like a crash (SIGKILL); {@link #start()} runs it again
 * on the same port.
 */
final class RedisProcess implements AutoCloseable {

  static final String HOST = "127.0.0.1";

  private final Path folder;
  private final int port;
  private final List<String> command;
  private Process process;

  private RedisProcess(Path folder, int port, List<String> command) {
    this.folder = folder;
    this.port = port;
    this.command = command;
  }

  /** A data server in a new sub-folder of {@code parent}, with extra {@code --name value} settings. */
  static RedisProcess server(Path parent, String... settings) {
    return server(parent, freePort(), settings);
  }

  /** A Redis Cluster node: a data server whose cluster bus port ({@code port + 10000}) is free too. */
  static RedisProcess clusterNode(Path parent, Duration nodeTimeout) {
    while (true) {
      int port = freePort();
      if (port + 10_000 <= 65_535 && isFree(port + 10_000)) {
        return server(parent, port, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
            "--cluster-node-timeout", Long.toString(nodeTimeout.toMillis()));
      }
    }
  }

  private static RedisProcess server(Path parent, int port, String... settings) {
    Path folder = folder(parent, "server-" + port);
    List<String> command = new ArrayList<>(List.of(binary(), "--port", Integer.toString(port), "--bind", HOST,
        "--save", "", "--appendonly", "no", "--dir", folder.toString()));
    command.addAll(List.of(settings));
    return started(new RedisProcess(folder, port, command));
  }

  /**
   * A sentinel watching the master named {@code master} at {@code masterPort}, judging it down after
   * {@code downAfter} and agreeing with {@code quorum} sentinels.
   */
  static RedisProcess sentinel(Path parent, String master, int masterPort, int quorum, Duration downAfter) {
    int port = freePort();
    Path folder = folder(parent, "sentinel-" + port);
    Path config = folder.resolve("sentinel.conf");
    try {
      // a file of its own: sentinels rewrite their configuration as they learn the topology
      Files.writeString(config, String.join("\n",
          "port " + port,
          "bind " + HOST,
          "dir \"" + folder + "\"",
          "sentinel monitor " + master + " " + HOST + " " + masterPort + " " + quorum,
          "sentinel down-after-milliseconds " + master + " " + downAfter.toMillis(),
          "sentinel failover-timeout " + master + " 10000",
          "sentinel parallel-syncs " + master + " 1", ""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return started(new RedisProcess(folder, port, List.of(binary(), config.toString(), "--sentinel")));
  }

  int port() {
    return port;
  }

  String address() {
    return HOST + ":" + port;
  }

  synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Runs the process (again), returning once it answers PING. */
  synchronized void start() {
    if (isRunning()) {
      return;
    }
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve("redis.log").toFile())).start();
      AbstractTestRedis.awaitPong(HOST, port, AbstractTestRedis.READY_TIMEOUT);
    } catch (IOException e) {
      kill();
      throw new UncheckedIOException("Could not start " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
      throw new IllegalStateException("Interrupted while starting Redis on port " + port, e);
    }
  }

  /** Ends the process at once, like a crash or a pulled plug, and waits until it is gone. */
  synchronized void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("Redis on port " + port + " did not end after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  @Override
  public void close() {
    kill();
  }

  private static RedisProcess started(RedisProcess process) {
    process.start();
    return process;
  }

  private static Path folder(Path parent, String name) {
    try {
      return Files.createDirectories(parent.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String binary() {
    try {
      return ExecutableProvider.newJarResourceProvider().get().getAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not unpack the Redis binary of embedded-redis", e);
    }
  }

  /** Deletes {@code folder} with everything in it. */
  static void delete(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A port that is free right now on the loopback interface. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not find a free port", e);
    }
  }
}
