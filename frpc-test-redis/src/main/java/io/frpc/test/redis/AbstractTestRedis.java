package io.frpc.test.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Lifecycle bookkeeping and the Lettuce based admin commands shared by the Docker and the embedded
 * {@link TestRedis}. Subclasses only start and stop the actual server.
 */
abstract class AbstractTestRedis implements TestRedis {

  /** How long {@link #start()} waits for the server to answer PING. */
  static final Duration READY_TIMEOUT = Duration.ofSeconds(10);

  private static final Duration POLL_INTERVAL = Duration.ofMillis(20);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

  private final TestRedis.Options options;
  private RedisClient client; // guarded by this; created on first admin command, shut down in close()
  private Map<String, Long> statsBaseline = Map.of(); // guarded by this
  private boolean closed; // guarded by this

  AbstractTestRedis(TestRedis.Options options) {
    this.options = options;
  }

  /** Starts the server process/container; afterwards {@link #host()} and {@link #port()} are valid. */
  protected abstract void startServer() throws Exception;

  /** Stops the server process/container; must keep {@link #host()} and {@link #port()}. */
  protected abstract void stopServer() throws Exception;

  /** Whether the server process/container is up. */
  protected abstract boolean serverRunning();

  /** Frees what the subclass holds besides the server (temp files...). Called once, after the last stop. */
  protected void release() throws Exception {}

  /** A short description for error messages, e.g. "embedded Redis on 127.0.0.1:6379". */
  protected abstract String describe();

  final TestRedis.Options options() {
    return options;
  }

  @Override
  public final synchronized boolean isRunning() {
    return !closed && serverRunning();
  }

  @Override
  public final synchronized void start() {
    if (closed) {
      throw new IllegalStateException("TestRedis is closed: " + describe());
    }
    if (serverRunning()) {
      return;
    }
    try {
      startServer();
      awaitPong(host(), port(), READY_TIMEOUT);
    } catch (Exception e) {
      try {
        stopServer();
      } catch (Exception stopFailure) {
        e.addSuppressed(stopFailure);
      }
      throw new IllegalStateException("Could not start " + describe() + ": " + e.getMessage(), e);
    }
    statsBaseline = Map.of(); // a fresh server process has fresh statistics
  }

  @Override
  public final synchronized void stop() {
    if (closed || !serverRunning()) {
      return;
    }
    try {
      stopServer();
    } catch (Exception e) {
      throw new IllegalStateException("Could not stop " + describe() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public final synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    IllegalStateException failure = null;
    try {
      if (client != null) {
        client.shutdown();
        client = null;
      }
    } catch (RuntimeException e) {
      failure = new IllegalStateException("Could not shut down the admin client of " + describe(), e);
    }
    try {
      if (serverRunning()) {
        stopServer();
      }
      release();
    } catch (Exception e) {
      IllegalStateException closeFailure = new IllegalStateException("Could not close " + describe(), e);
      if (failure == null) {
        failure = closeFailure;
      } else {
        failure.addSuppressed(closeFailure);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void flushAll() {
    withCommands(RedisCommands::flushall);
  }

  @Override
  public Map<String, Long> commandCalls() {
    Map<String, Long> now = rawCommandCalls();
    Map<String, Long> baseline;
    synchronized (this) {
      baseline = statsBaseline;
    }
    Map<String, Long> result = new TreeMap<>();
    now.forEach(
        (command, calls) -> {
          long delta = calls - baseline.getOrDefault(command, 0L);
          if (delta > 0) {
            result.put(command, delta);
          }
        });
    return Collections.unmodifiableMap(result);
  }

  @Override
  public void resetStats() {
    Map<String, Long> baseline;
    if (options.configCommandAllowed()) {
      withCommands(RedisCommands::configResetstat);
      baseline = Map.of();
    } else {
      // CONFIG is renamed away (like on managed Redis): remember the current counters instead.
      baseline = rawCommandCalls();
    }
    synchronized (this) {
      statsBaseline = baseline;
    }
  }

  @Override
  public String execute(String... command) {
    if (command == null || command.length == 0 || command[0] == null || command[0].isBlank()) {
      throw new IllegalArgumentException("execute needs a command name, e.g. execute(\"PING\")");
    }
    return withCommands(redis -> RedisAdmin.dispatch(redis, command));
  }

  @Override
  public String toString() {
    return describe();
  }

  private Map<String, Long> rawCommandCalls() {
    return parseCommandStats(withCommands(redis -> redis.info("commandstats")));
  }

  /** Parses lines like {@code cmdstat_get:calls=12,usec=30,...} of {@code INFO commandstats}. */
  static Map<String, Long> parseCommandStats(String info) {
    Map<String, Long> calls = new TreeMap<>();
    for (String line : info.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (!line.startsWith("cmdstat_") || colon < 0) {
        continue;
      }
      String command = line.substring("cmdstat_".length(), colon).toLowerCase(Locale.ROOT);
      for (String field : line.substring(colon + 1).split(",")) {
        if (field.startsWith("calls=")) {
          calls.put(command, Long.parseLong(field.substring("calls=".length()).trim()));
        }
      }
    }
    return calls;
  }

  /** Runs {@code action} on a new connection that is closed afterwards. */
  private <T> T withCommands(Function<RedisCommands<String, String>, T> action) {
    RedisClient redisClient;
    RedisURI uri;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("TestRedis is closed: " + describe());
      }
      if (!serverRunning()) {
        throw new IllegalStateException("Redis is stopped, call start() first: " + describe());
      }
      if (client == null) {
        client = RedisClient.create();
        client.setOptions(
            ClientOptions.builder()
                .protocolVersion(ProtocolVersion.RESP2) // plain replies: arrays stay arrays, no HELLO
                .autoReconnect(false)
                .build());
      }
      redisClient = client;
      uri = RedisURI.builder().withHost(host()).withPort(port()).withTimeout(COMMAND_TIMEOUT).build();
    }
    try (StatefulRedisConnection<String, String> connection = redisClient.connect(StringCodec.UTF8, uri)) {
      return action.apply(connection.sync());
    }
  }

  /**
   * Waits until {@code host:port} answers {@code PING} with {@code +PONG}, polling every few milliseconds.
   *
   * @throws IOException if it does not within {@code timeout}
   */
  static void awaitPong(String host, int port, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastAnswer = null;
    IOException lastFailure = null;
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, port), 1000);
        socket.setSoTimeout(1000);
        OutputStream out = socket.getOutputStream();
        out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        BufferedReader in =
            new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        lastAnswer = in.readLine();
        if ("+PONG".equals(lastAnswer)) {
          return;
        }
      } catch (IOException e) {
        lastFailure = e;
      }
      if (System.nanoTime() > deadline) {
        IOException timedOut =
            new IOException(
                "Redis at " + host + ":" + port + " did not answer PING within " + timeout.toSeconds()
                    + " s (last answer: " + lastAnswer + ")");
        if (lastFailure != null) {
          timedOut.addSuppressed(lastFailure);
        }
        throw timedOut;
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
    }
  }

  /** Starts {@code redis}; if that fails, closes it so nothing is left behind, and rethrows. */
  static <T extends AbstractTestRedis> T started(T redis) {
    try {
      redis.start();
    } catch (RuntimeException e) {
      try {
        redis.close();
      } catch (RuntimeException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
    return redis;
  }
}
