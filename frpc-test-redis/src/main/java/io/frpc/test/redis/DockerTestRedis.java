package io.frpc.test.redis;

import com.redis.testcontainers.RedisContainer;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.utility.DockerImageName;

/**
 * {@link TestRedis} running Redis in Docker via Testcontainers.
 *
 * <p>The first start lets Docker pick the host port. {@link #stop()} stops and removes the container (the
 * port is released, clients see "connection refused"); {@link #start()} creates a new container whose port
 * is bound to the same host port, so data is empty after a restart. Persistence is off via the command line
 * ({@code --save "" --appendonly no}), and without {@code CONFIG} via {@code --rename-command CONFIG ""}.
 *
 * <p>Only used after {@link DockerEngine#isAvailable()}: this class needs Testcontainers on the class path.
 */
final class DockerTestRedis extends AbstractTestRedis {

  private static final DockerImageName IMAGE = DockerImageName.parse(DOCKER_IMAGE);

  private RedisContainer container; // guarded by this
  private String host; // set by the first start
  private int port = -1; // set by the first start, reused afterwards

  private DockerTestRedis(TestRedis.Options options) {
    super(options);
  }

  /** Starts Redis in a new container. */
  static DockerTestRedis start(TestRedis.Options options) {
    return started(new DockerTestRedis(options));
  }

  @Override
  public synchronized String host() {
    return host;
  }

  @Override
  public synchronized int port() {
    return port;
  }

  @Override
  protected void startServer() {
    RedisContainer next = port < 0 ? new RedisContainer(IMAGE) : new SamePortRedisContainer(IMAGE, port);
    next.withCommand(command());
    container = next;
    next.start();
    if (port < 0) {
      host = next.getRedisHost();
      port = next.getRedisPort();
    }
  }

  @Override
  protected void stopServer() {
    if (container != null) {
      container.stop(); // stops and removes the container, releasing the host port
      container = null;
    }
  }

  @Override
  protected boolean serverRunning() {
    return container != null && container.isRunning();
  }

  @Override
  protected String describe() {
    return "Redis in Docker (" + IMAGE + ") on " + host + ":" + port;
  }

  private String[] command() {
    // DEBUG SLEEP stalls Redis in the hardening tests; Redis 7 refuses DEBUG unless enabled.
    List<String> command = new ArrayList<>(List.of("redis-server", "--save", "", "--appendonly", "no",
        "--enable-debug-command", "yes"));
    if (!options().configCommandAllowed()) {
      command.addAll(List.of("--rename-command", "CONFIG", ""));
    }
    return command.toArray(String[]::new);
  }

  /** A Redis container whose port 6379 is published on a given host port (used for restarts). */
  private static final class SamePortRedisContainer extends RedisContainer {
    SamePortRedisContainer(DockerImageName image, int hostPort) {
      super(image);
      addFixedExposedPort(hostPort, REDIS_PORT);
    }
  }
}
