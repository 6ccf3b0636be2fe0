package io.frpc.discovery.redis;

import static org.awaitility.Awaitility.await;

import io.frpc.test.redis.RedisAdmin;
import io.frpc.test.redis.RedisProcess;
import io.lettuce.core.cluster.SlotHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A Redis Cluster from real processes: three masters, each with one replica, judging a node failed after
 * one second. {@link #killMasterOf(String)} crashes the master a key lives on; its replica then takes over.
 */
final class TestRedisCluster implements RedisDeployment, AutoCloseable {

  private static final int MASTERS = 3;
  private static final Duration NODE_TIMEOUT = Duration.ofSeconds(1);

  private final Path folder;
  private final List<RedisProcess> processes = new ArrayList<>();
  private final RedisAdmin admin = new RedisAdmin();

  private TestRedisCluster(Path folder) {
    this.folder = folder;
  }

  /** Starts the processes, forms the cluster and returns once every node reports it ok. */
  static TestRedisCluster start() {
    TestRedisCluster cluster;
    try {
      cluster = new TestRedisCluster(Files.createTempDirectory("frpc-test-cluster-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      cluster.form();
      return cluster;
    } catch (RuntimeException e) {
      try {
        cluster.close();
      } catch (RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  private void form() {
    for (int i = 0; i < 2 * MASTERS; i++) {
      processes.add(RedisProcess.clusterNode(folder, NODE_TIMEOUT));
    }
    for (int i = 0; i < MASTERS; i++) {
      int first = i * SlotHash.SLOT_COUNT / MASTERS;
      int last = (i + 1) * SlotHash.SLOT_COUNT / MASTERS - 1;
      List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
      IntStream.rangeClosed(first, last).forEach(slot -> command.add(Integer.toString(slot)));
      runOn(processes.get(i).port(), command.toArray(String[]::new));
    }
    int meetingPoint = processes.get(0).port();
    for (RedisProcess node : processes.subList(1, processes.size())) {
      runOn(meetingPoint, "CLUSTER", "MEET", RedisProcess.HOST, Integer.toString(node.port()));
    }
    await("every node knows every other").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> processes.stream().allMatch(node -> nodes(node.port()).size() == processes.size()));
    for (int i = 0; i < MASTERS; i++) {
      String masterId = runOn(processes.get(i).port(), "CLUSTER", "MYID");
      runOn(processes.get(MASTERS + i).port(), "CLUSTER", "REPLICATE", masterId);
    }
    await("cluster ok and replicas in sync").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> processes.stream().allMatch(node -> runOn(node.port(), "CLUSTER", "INFO")
            .contains("cluster_state:ok"))
            && processes.subList(MASTERS, processes.size()).stream().allMatch(replica ->
                runOn(replica.port(), "INFO", "replication").contains("master_link_status:up")));
  }

  @Override
  public LettuceConnectionFactory connectionFactory() {
    LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisClusterConfiguration(addresses()));
    factory.afterPropertiesSet();
    factory.start();
    return factory;
  }

  private List<String> addresses() {
    return processes.stream().map(RedisProcess::address).toList();
  }

  /** The port of the master serving {@code key}'s slot now. */
  int masterPortOf(String key) {
    return masterPortOfSlot(SlotHash.getSlot(key));
  }

  private int masterPortOfSlot(int slot) {
    for (RedisProcess node : processes) {
      if (!node.isRunning()) {
        continue;
      }
      for (Node candidate : nodes(node.port())) {
        if (candidate.master() && !candidate.failed() && candidate.serves(slot)) {
          return candidate.port();
        }
      }
    }
    throw new IllegalStateException("No live node knows a master of slot " + slot);
  }

  /** Runs a command about {@code key} on the master serving it. */
  String execute(String key, String... command) {
    return runOn(masterPortOf(key), command);
  }

  /** Crashes (SIGKILL) the master serving {@code key} and returns its port. */
  int killMasterOf(String key) {
    int port = masterPortOf(key);
    processes.stream().filter(node -> node.port() == port).findFirst().orElseThrow().kill();
    return port;
  }

  /** Waits until another master than the one at {@code formerPort} serves {@code key} and the cluster is ok. */
  void awaitFailover(String key, int formerPort, Duration atMost) {
    await("failover of " + key + " away from port " + formerPort).atMost(atMost).pollInterval(Duration.ofMillis(50))
        .ignoreExceptions().until(() -> masterPortOf(key) != formerPort && processes.stream()
            .filter(RedisProcess::isRunning)
            .allMatch(node -> runOn(node.port(), "CLUSTER", "INFO").contains("cluster_state:ok")));
  }

  /** Starts a new master that serves no slot yet, joins it to the cluster and returns its port. */
  int addMaster() {
    RedisProcess added = RedisProcess.clusterNode(folder, NODE_TIMEOUT);
    processes.add(added);
    String id = runOn(added.port(), "CLUSTER", "MYID");
    runOn(livePorts().get(0), "CLUSTER", "MEET", RedisProcess.HOST, Integer.toString(added.port()));
    List<String> ids = livePorts().stream().map(port -> runOn(port, "CLUSTER", "MYID")).toList();
    await("the added master and every node know each other").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100)).until(() -> ids.stream().allMatch(runOn(added.port(), "CLUSTER",
            "NODES")::contains) && livePorts().stream().allMatch(port -> runOn(port, "CLUSTER", "NODES")
                .contains(id))
            && runOn(added.port(), "CLUSTER", "INFO").contains("cluster_state:ok"));
    return added.port();
  }

  /** Moves {@code slot} and its keys to the master at {@code toPort}, the way a resharding tool does. */
  void moveSlot(int slot, int toPort) {
    int fromPort = masterPortOfSlot(slot);
    String from = runOn(fromPort, "CLUSTER", "MYID");
    String to = runOn(toPort, "CLUSTER", "MYID");
    String slotText = Integer.toString(slot);
    runOn(toPort, "CLUSTER", "SETSLOT", slotText, "IMPORTING", from);
    runOn(fromPort, "CLUSTER", "SETSLOT", slotText, "MIGRATING", to);
    for (String keys = runOn(fromPort, "CLUSTER", "GETKEYSINSLOT", slotText, "100"); !keys.isEmpty();
        keys = runOn(fromPort, "CLUSTER", "GETKEYSINSLOT", slotText, "100")) {
      for (String key : keys.split("\n")) {
        runOn(fromPort, "MIGRATE", RedisProcess.HOST, Integer.toString(toPort), key, "0", "5000");
      }
    }
    runOn(toPort, "CLUSTER", "SETSLOT", slotText, "NODE", to);
    runOn(fromPort, "CLUSTER", "SETSLOT", slotText, "NODE", to);
    await("every node sees slot " + slot + " on port " + toPort).atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .until(() -> livePorts().stream().allMatch(port -> nodes(port).stream()
            .anyMatch(node -> node.port() == toPort && node.serves(slot))));
  }

  private List<Integer> livePorts() {
    return processes.stream().filter(RedisProcess::isRunning).map(RedisProcess::port).toList();
  }

  /** {@code CLUSTER NODES} as {@code port} sees it. */
  private List<Node> nodes(int port) {
    return runOn(port, "CLUSTER", "NODES").lines().filter(line -> !line.isBlank()).map(Node::parse).toList();
  }

  /** Runs {@code command} on the process at {@code port}. */
  private String runOn(int port, String... command) {
    return admin.execute(RedisProcess.HOST, port, command);
  }

  @Override
  public void close() {
    admin.close();
    processes.forEach(RedisProcess::close);
    try {
      Files.deleteIfExists(folder); // each process deleted its own folder in it
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One line of {@code CLUSTER NODES}: the node's port, role, health and slot ranges. */
  private record Node(int port, boolean master, boolean failed, List<int[]> slots) {

    static Node parse(String line) {
      String[] fields = line.split(" ");
      String address = fields[1].substring(0, fields[1].indexOf('@'));
      int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
      String flags = fields[2];
      List<int[]> slots = new ArrayList<>();
      for (int i = 8; i < fields.length; i++) {
        if (!fields[i].startsWith("[")) {
          String[] range = fields[i].split("-");
          slots.add(new int[] {Integer.parseInt(range[0]), Integer.parseInt(range[range.length - 1])});
        }
      }
      return new Node(port, flags.contains("master"), flags.contains("fail"), slots);
    }

    boolean serves(int slot) {
      return slots.stream().anyMatch(range -> range[0] <= slot && slot <= range[1]);
    }
  }
}
