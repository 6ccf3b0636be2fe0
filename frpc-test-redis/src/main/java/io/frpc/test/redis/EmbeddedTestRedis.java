package io.frpc.test.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import redis.embedded.RedisServer;
import redis.embedded.core.RedisServerBuilder;

/**
 * {@link TestRedis} backed by the Redis binary shipped in {@code com.github.codemonstur:embedded-redis}, bound
 * to {@code 127.0.0.1} on a free port. Persistence is off ({@code save ""}, {@code appendonly no}) and the
 * working directory ({@code dir}) is a private temp folder deleted on {@link #close()}, so no {@code dump.rdb}
 * is left anywhere. {@link #stop()} ends the process, {@link #start()} launches a new one on the same port.
 */
final class EmbeddedTestRedis extends AbstractTestRedis {

  private static final String HOST = "127.0.0.1";

  private final int port;
  private final Path workDir;
  private RedisServer server; // guarded by this
  private Path configFile; // guarded by this; written by embedded-redis for the current process

  private EmbeddedTestRedis(TestRedis.Options options, int port, Path workDir) {
    super(options);
    this.port = port;
    this.workDir = workDir;
  }

  /** Starts an embedded server on a free port. */
  static EmbeddedTestRedis start(TestRedis.Options options) {
    Path workDir;
    try {
      workDir = Files.createTempDirectory("frpc-test-redis-");
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create a work folder for embedded Redis", e);
    }
    return started(new EmbeddedTestRedis(options, RedisProcess.freePort(), workDir));
  }

  @Override
  public String host() {
    return HOST;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  protected void startServer() throws IOException {
    RedisServerBuilder builder =
        RedisServer.newRedisServer()
            .bind(HOST)
            .port(port)
            .setting("save \"\"") // no RDB snapshots, also not on shutdown
            .setting("appendonly no")
            .setting("dir \"" + workDir.toAbsolutePath() + "\"")
            .onShutdownForceStop(false); // SIGTERM: a clean shutdown (which saves nothing, see above)
    if (!options().configCommandAllowed()) {
      builder.setting("rename-command CONFIG \"\"");
    }
    // Same as builder.build(), but we learn the path of the generated config file to delete it on stop.
    List<String> args = builder.buildCommandArgs(); // [binary, config file, --port, port]
    configFile = Path.of(args.get(1));
    // Non-null listeners make embedded-redis drain the process output, so the pipes never fill up.
    server = new RedisServer(port, args, false, line -> {}, line -> {});
    server.start(); // returns once the log says "Ready to accept connections"
  }

  @Override
  protected void stopServer() throws IOException {
    try {
      if (server != null) {
        server.stop(); // waits for the process to end
      }
    } finally {
      server = null;
      if (configFile != null) {
        Files.deleteIfExists(configFile);
        configFile = null;
      }
    }
  }

  @Override
  protected boolean serverRunning() {
    return server != null && server.isActive();
  }

  @Override
  protected void release() {
    if (Files.exists(workDir)) {
      RedisProcess.delete(workDir);
    }
  }

  @Override
  protected String describe() {
    return "embedded Redis on " + HOST + ":" + port;
  }
}
