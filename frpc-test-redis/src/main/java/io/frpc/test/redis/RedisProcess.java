package io.frpc.test.redis;

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
import java.util.function.Supplier;
import java.util.stream.Stream;
import redis.embedded.core.ExecutableProvider;

/**
 * One redis-server process, a data server, a Redis Cluster node or a Sentinel, run from the binary shipped in
 * {@code com.github.codemonstur:embedded-redis} on {@code 127.0.0.1} with persistence off: the building block of
 * deployments of several processes (replication, Sentinel, Cluster) that a test forms with {@link RedisAdmin}.
 * A single server is simpler as a {@link TestRedis}.
 *
 * <p>Each process has a folder of its own (its working directory and {@code redis.log}, its output) inside the
 * parent folder it was given. {@link #kill()} ends it like a crash (SIGKILL); {@link #start()} runs it again on
 * the same port; {@link #close()} ends it for good and deletes its folder. Thread-safe.
 */
public final class RedisProcess implements AutoCloseable {

  /** The address every process binds to. */
  public static final String HOST = "127.0.0.1";

  private final Path folder;
  private final int port;
  private final List<String> command;
  private Process process;

  private RedisProcess(Path folder, int port, List<String> command) {
    this.folder = folder;
    this.port = port;
    this.command = command;
  }

  /**
   * Starts a data server on a free port, e.g. a replica with {@code server(folder, "--replicaof", HOST, port)}.
   *
   * @param parent the folder in which the process gets a folder of its own
   * @param settings extra redis-server settings as {@code --name value} arguments
   * @return the running process, answering {@code PING}
   * @throws java.io.UncheckedIOException if it does not come up
   */
  public static RedisProcess server(Path parent, String... settings) {
    return onAFreePort(() -> server(parent, freePort(), settings));
  }

  /**
   * Starts a Redis Cluster node (not yet part of a cluster) on a free port whose cluster bus port
   * ({@code port + 10000}) is free too.
   *
   * @param parent the folder in which the process gets a folder of its own
   * @param nodeTimeout the node's {@code cluster-node-timeout}
   * @return the running process, answering {@code PING}
   * @throws java.io.UncheckedIOException if it does not come up
   */
  public static RedisProcess clusterNode(Path parent, Duration nodeTimeout) {
    return onAFreePort(() -> {
      while (true) {
        int port = freePort();
        if (port + 10_000 <= 65_535 && isFree(port + 10_000)) {
          return server(parent, port, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
              "--cluster-node-timeout", Long.toString(nodeTimeout.toMillis()));
        }
      }
    });
  }

  private static RedisProcess server(Path parent, int port, String... settings) {
    Path folder = folder(parent, "server-" + port);
    List<String> command = new ArrayList<>(List.of(binary(), "--port", Integer.toString(port), "--bind", HOST,
        "--save", "", "--appendonly", "no", "--dir", folder.toString()));
    command.addAll(List.of(settings));
    return started(new RedisProcess(folder, port, command));
  }

  /**
   * Starts a Sentinel on a free port, watching the master named {@code master} at {@code HOST:masterPort}.
   *
   * @param parent the folder in which the process gets a folder of its own
   * @param master the master's name
   * @param masterPort the master's port on {@link #HOST}
   * @param quorum how many sentinels must agree that the master is down
   * @param downAfter how long the master must be unreachable to be judged down
   * @return the running process, answering {@code PING}
   * @throws java.io.UncheckedIOException if it does not come up
   */
  public static RedisProcess sentinel(Path parent, String master, int masterPort, int quorum, Duration downAfter) {
    return onAFreePort(() -> sentinel(parent, freePort(), master, masterPort, quorum, downAfter));
  }

  private static RedisProcess sentinel(Path parent, int port, String master, int masterPort, int quorum,
      Duration downAfter) {
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

  /**
   * The process's port on {@link #HOST}; it stays the same across {@link #kill()} and {@link #start()}.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * The process's address as Redis clients and Spring properties write it.
   *
   * @return {@code 127.0.0.1:port}
   */
  public String address() {
    return HOST + ":" + port;
  }

  /**
   * Whether the process is alive.
   *
   * @return {@code true} between {@link #start()} and {@link #kill()}
   */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * Runs the process again on the same port (after {@link #kill()}), returning once it answers {@code PING}; does
   * nothing if it runs. A data server comes back empty; a Sentinel or Cluster node with the configuration it
   * had rewritten.
   *
   * @throws java.io.UncheckedIOException if it does not come up
   */
  public synchronized void start() {
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

  /** Ends the process at once, like a crash or a pulled plug (SIGKILL), and waits until it is gone. */
  public synchronized void kill() {
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

  /** Ends the process (SIGKILL) and deletes its folder. */
  @Override
  public synchronized void close() {
    kill();
    if (Files.exists(folder)) {
      delete(folder);
    }
  }

  /** Starts {@code process}; one that does not come up is closed (its folder deleted) before the failure goes on. */
  private static RedisProcess started(RedisProcess process) {
    try {
      process.start();
    } catch (RuntimeException e) {
      try {
        process.close();
      } catch (RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    return process;
  }

  /**
   * Starts a process on a port found free, again on another one when it does not come up: between finding the port
   * free and the process binding it, something else may take it.
   */
  private static RedisProcess onAFreePort(Supplier<RedisProcess> start) {
    RuntimeException failure = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return start.get();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    throw failure;
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
