package io.frpc.discovery.redis;

import static org.awaitility.Awaitility.await;

import io.frpc.test.redis.RedisAdmin;
import io.frpc.test.redis.RedisProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Redis with Sentinel, from real processes: a master, one replica and three sentinels (quorum 2) that judge
 * a master down after one second. {@link #killMaster()} crashes the current master; the sentinels then
 * promote the replica.
 */
final class TestRedisSentinel implements RedisDeployment, AutoCloseable {

  static final String MASTER_NAME = "frpc-test";
  private static final Duration DOWN_AFTER = Duration.ofSeconds(1);

  private final Path folder;
  private final List<RedisProcess> servers = new ArrayList<>();
  private final List<RedisProcess> sentinels = new ArrayList<>();
  private final RedisAdmin admin = new RedisAdmin();

  private TestRedisSentinel(Path folder) {
    this.folder = folder;
  }

  /** Starts the processes and returns once the sentinels know the replica and each other. */
  static TestRedisSentinel start() {
    TestRedisSentinel deployment;
    try {
      deployment = new TestRedisSentinel(Files.createTempDirectory("frpc-test-sentinel-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      deployment.launch();
      return deployment;
    } catch (RuntimeException e) {
      try {
        deployment.close();
      } catch (RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  private void launch() {
    RedisProcess master = RedisProcess.server(folder);
    servers.add(master);
    servers.add(RedisProcess.server(folder, "--replicaof", RedisProcess.HOST, Integer.toString(master.port())));
    for (int i = 0; i < 3; i++) {
      sentinels.add(RedisProcess.sentinel(folder, MASTER_NAME, master.port(), 2, DOWN_AFTER));
    }
    await("sentinels know the replica and each other").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200)).until(() -> sentinels.stream().allMatch(sentinel -> {
          Map<String, String> state = masterState(sentinel);
          return "1".equals(state.get("num-slaves")) && "2".equals(state.get("num-other-sentinels"));
        }));
  }

  @Override
  public LettuceConnectionFactory connectionFactory() {
    RedisSentinelConfiguration configuration = new RedisSentinelConfiguration();
    configuration.master(MASTER_NAME);
    sentinels.forEach(sentinel -> configuration.sentinel(RedisProcess.HOST, sentinel.port()));
    LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration);
    factory.afterPropertiesSet();
    factory.start();
    return factory;
  }

  /** The port of the master as the first sentinel that answers sees it. */
  int masterPort() {
    for (RedisProcess sentinel : sentinels) {
      try {
        String address = runOn(sentinel.port(), "SENTINEL", "get-master-addr-by-name", MASTER_NAME);
        return Integer.parseInt(address.split("\n")[1]);
      } catch (RuntimeException e) {
        // ask the next one
      }
    }
    throw new IllegalStateException("No sentinel answers");
  }

  /** Runs a command on the current master. */
  String execute(String... command) {
    return runOn(masterPort(), command);
  }

  /** Crashes the current master (SIGKILL) and returns its former port. */
  int killMaster() {
    int port = masterPort();
    servers.stream().filter(server -> server.port() == port).findFirst().orElseThrow().kill();
    return port;
  }

  /** Waits until the sentinels promoted another server than the one at {@code formerPort}, and it accepts writes. */
  void awaitFailover(int formerPort, Duration atMost) {
    await("failover away from port " + formerPort).atMost(atMost).pollInterval(Duration.ofMillis(50))
        .ignoreExceptions().until(() -> {
          int port = masterPort();
          return port != formerPort && runOn(port, "ROLE").startsWith("master");
        });
  }

  /** The sentinel's view of the master: {@code SENTINEL MASTER} as field name to value. */
  private Map<String, String> masterState(RedisProcess sentinel) {
    String[] lines = runOn(sentinel.port(), "SENTINEL", "MASTER", MASTER_NAME).split("\n");
    Map<String, String> state = new HashMap<>();
    for (int i = 0; i + 1 < lines.length; i += 2) {
      state.put(lines[i], lines[i + 1]);
    }
    return state;
  }

  /** Runs {@code command} on the process at {@code port}. */
  private String runOn(int port, String... command) {
    return admin.execute(RedisProcess.HOST, port, command);
  }

  @Override
  public void close() {
    admin.close();
    sentinels.forEach(RedisProcess::close);
    servers.forEach(RedisProcess::close);
    try {
      Files.deleteIfExists(folder); // each process deleted its own folder in it
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
