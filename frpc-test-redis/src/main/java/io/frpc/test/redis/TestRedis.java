package io.frpc.test.redis;

import java.util.Map;
import java.util.Objects;

/**
 * A real Redis server for tests.
 *
 * <p>{@link #start(Options)} runs Redis in Docker (Testcontainers, image {@code redis:7.2}) when Testcontainers is
 * on the class path and a Docker engine is available, and otherwise starts the Redis binary shipped in
 * {@code com.github.codemonstur:embedded-redis} (Redis 6.2 on Linux and macOS, 5.0 on Windows) on a free port of
 * {@code 127.0.0.1}; {@link #startEmbedded(Options)} and {@link #startInDocker(Options)} make that choice
 * yourself. Both variants run without persistence ({@code save ""}, {@code appendonly no}), so every (re)start
 * begins with an empty data set.
 *
 * <pre>{@code
 * try (TestRedis redis = TestRedis.start(TestRedis.Options.defaults())) {
 *   redis.execute("SET", "greeting", "hello");
 *   // point the code under test at redis.host() and redis.port()
 * }
 * }</pre>
 *
 * <p>The admin methods ({@link #flushAll()}, {@link #commandCalls()}, {@link #resetStats()},
 * {@link #execute(String...)}) each open a short-lived Lettuce connection (RESP2). Those connections issue a
 * few commands of their own (for example {@code client}, {@code info}), which show up in
 * {@link #commandCalls()}; count only the commands your test is about.
 *
 * <p>Instances are thread-safe; obtain one through {@link RedisServerExtension} or {@link #start(Options)} and
 * {@linkplain #close() close} it when done.
 */
public interface TestRedis extends AutoCloseable {

  /** The Docker image {@link #startInDocker(Options)} runs. */
  String DOCKER_IMAGE = "redis:7.2";

  /**
   * Host name or address clients connect to.
   *
   * @return the host, e.g. {@code 127.0.0.1}
   */
  String host();

  /**
   * TCP port clients connect to; it stays the same across {@link #stop()}/{@link #start()}.
   *
   * @return the port
   */
  int port();

  /**
   * Whether the server is currently running (started and neither stopped nor closed).
   *
   * @return {@code true} while the server accepts connections
   */
  boolean isRunning();

  /**
   * Stops the server process (or container); afterwards clients see "connection refused" on
   * {@link #host()}:{@link #port()}. Does nothing if it is already stopped.
   */
  void stop();

  /**
   * Starts the server again on the same host and port, with an empty data set (no persistence), and returns
   * once it answers {@code PING}. Does nothing if it is already running.
   *
   * @throws IllegalStateException if this instance has been closed or the server does not come up
   */
  void start();

  /** Deletes all keys of all databases ({@code FLUSHALL}). */
  void flushAll();

  /**
   * Command call counters parsed from {@code INFO commandstats}, relative to the last {@link #resetStats()}.
   *
   * @return lower-case command name (Redis 7 sub-commands as e.g. {@code config|get}) to number of calls, e.g.
   *     {@code "get" -> 12}; commands never called are absent
   */
  Map<String, Long> commandCalls();

  /**
   * Resets the command statistics ({@code CONFIG RESETSTAT}). When the server refuses {@code CONFIG} (see
   * {@link Options#configCommandAllowed()}), the current counters are recorded as a baseline instead and
   * {@link #commandCalls()} reports the difference to it.
   */
  void resetStats();

  /**
   * Runs any Redis command, e.g. {@code execute("SET", "k", "v")} or
   * {@code execute("CONFIG", "GET", "notify-keyspace-events")}.
   *
   * @param command the command name followed by its arguments
   * @return the reply rendered as a string: status, bulk and integer replies as text; arrays (flattened) with
   *     their elements joined by {@code "\n"} (a nil element becomes the empty string); a nil reply is
   *     {@code null}
   * @throws io.lettuce.core.RedisCommandExecutionException if Redis answers with an error (its message is the
   *     Redis error text, e.g. {@code ERR unknown command ...})
   */
  String execute(String... command);

  /** Stops the server for good and frees everything it used (process or container, temp files, clients). */
  @Override
  void close();

  /**
   * Starts a new server: in Docker when Testcontainers is on the class path and finds an engine, else the
   * embedded binary on a free port of {@code 127.0.0.1}.
   *
   * @param options server options, e.g. {@link Options#defaults()}
   * @return a running server; close it when done
   * @throws IllegalStateException if the server does not come up
   */
  static TestRedis start(Options options) {
    Objects.requireNonNull(options, "options");
    return DockerEngine.isAvailable()
        ? DockerTestRedis.start(options)
        : EmbeddedTestRedis.start(options);
  }

  /**
   * Starts a new server from the embedded Redis binary on a free port of {@code 127.0.0.1}, whether or not Docker
   * is available (for example where measurements must not depend on the machine having Docker).
   *
   * @param options server options, e.g. {@link Options#defaults()}
   * @return a running server; close it when done
   * @throws IllegalStateException if the server does not come up
   */
  static TestRedis startEmbedded(Options options) {
    return EmbeddedTestRedis.start(Objects.requireNonNull(options, "options"));
  }

  /**
   * Starts a new server in Docker (image {@code redis:7.2}); needs {@code com.redis:testcontainers-redis} on the
   * class path and a Docker engine.
   *
   * @param options server options, e.g. {@link Options#defaults()}
   * @return a running server; close it when done
   * @throws IllegalStateException if Testcontainers is missing, no Docker engine is available or the container
   *     does not come up
   */
  static TestRedis startInDocker(Options options) {
    Objects.requireNonNull(options, "options");
    if (!DockerEngine.isAvailable()) {
      throw new IllegalStateException("Redis in Docker needs com.redis:testcontainers-redis on the class path and a "
          + "Docker engine; use TestRedis.start(options) to fall back to the embedded binary");
    }
    return DockerTestRedis.start(options);
  }

  /**
   * Options of a {@link TestRedis}.
   *
   * @param configCommandAllowed {@code false} makes the server refuse {@code CONFIG} (renamed to the empty
   *     string), like managed Redis services do; {@link TestRedis#commandCalls()} still works (via
   *     {@code INFO}), {@link TestRedis#resetStats()} then works with a baseline
   */
  record Options(boolean configCommandAllowed) {

    /**
     * The default options: {@code CONFIG} allowed.
     *
     * @return the default options
     */
    public static Options defaults() {
      return new Options(true);
    }
  }
}
