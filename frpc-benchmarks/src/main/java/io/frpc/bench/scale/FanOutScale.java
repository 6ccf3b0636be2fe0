package io.frpc.bench.scale;

import static io.frpc.bench.scale.DiscoveryScale.progress;

import io.frpc.AllNodesReply;
import io.frpc.FrpcNode;
import io.frpc.HandlerDefinition;
import io.frpc.ModuleCall;
import io.frpc.NodeDownReason;
import io.frpc.NodeListener;
import io.frpc.RemoteNode;
import io.frpc.bench.Await;
import io.frpc.discovery.redis.RedisDiscoverySettings;
import io.frpc.discovery.redis.RedisNodeDiscovery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Part two of the scale benchmark: one caller and {@code nodes} real frpc nodes in this JVM, all on Redis
 * discovery: how long until the caller is connected to every node, what an {@code allNodes()} call costs, and
 * whether every node's leaving is reported once.
 */
final class FanOutScale {

  private static final int WARM_UP_CALLS = 2_000;
  private static final int MEASURED_CALLS = 5_000;
  private static final int LEAVING = 10;

  /** Everything part two measured. */
  record Result(int nodes, double firstUpMillis, double allUpMillis, Histogram fanOut, int incompleteReplies,
      double slowestDownMillis, Map<String, Integer> downReasons) {
  }

  /** Module {@code where}: tells which node answered. */
  public static final class Where {
    private final int id;

    Where(int id) {
      this.id = id;
    }

    public int id() {
      return id;
    }
  }

  private FanOutScale() {
  }

  static Result run(int redisPort, int nodes) throws Exception {
    RedisDiscoverySettings registering = new RedisDiscoverySettings("fanout", DiscoveryScale.TTL,
        Duration.ofSeconds(1), Duration.ofSeconds(60), List.of(), true, 0, Integer.MAX_VALUE, true);
    RedisDiscoverySettings watching = new RedisDiscoverySettings("fanout", DiscoveryScale.TTL,
        Duration.ofSeconds(1), Duration.ofSeconds(60), List.of("game"), true, 0, Integer.MAX_VALUE, false);
    LettuceConnectionFactory application = new LettuceConnectionFactory(
        new RedisStandaloneConfiguration("127.0.0.1", redisPort));
    application.afterPropertiesSet();
    List<FrpcNode> servers = new ArrayList<>();
    List<RedisNodeDiscovery> registrations = new ArrayList<>();
    FrpcNode caller = null;
    try {
      for (int id = 1; id <= nodes; id++) {
        int self = id;
        RedisNodeDiscovery discovery = RedisNodeDiscovery.builder(application).settings(registering)
            .advertisedHost("127.0.0.1").build();
        FrpcNode server = FrpcNode.builder("game", id).listen("127.0.0.1", 0).ioThreads(1)
            .shutdownTimeout(Duration.ofSeconds(1))
            .handler(HandlerDefinition.of("where", null, 1, instance -> new Where(self)).runNonBlocking())
            .discovery(discovery).build();
        server.start();
        servers.add(server);
        registrations.add(discovery);
      }
      Await.until(() -> registrations.stream()
          .allMatch(discovery -> discovery.registrationState() == RedisNodeDiscovery.RegistrationState.REGISTERED),
          Duration.ofSeconds(60), "every node registered");
      progress("%d nodes registered; starting the caller", nodes);

      Map<Integer, Long> up = new ConcurrentHashMap<>();
      Map<Integer, NodeDownReason> down = new ConcurrentHashMap<>();
      Map<Integer, Long> downNanos = new ConcurrentHashMap<>();
      long start = System.nanoTime();
      caller = FrpcNode.builder("lobby", 1).serve(false).ioThreads(2)
          .discovery(RedisNodeDiscovery.builder(application).settings(watching).build())
          .listener(new NodeListener() {
            @Override
            public void nodeUp(RemoteNode node) {
              up.putIfAbsent(node.id().id(), System.nanoTime());
            }

            @Override
            public void nodeDown(RemoteNode node, NodeDownReason reason) {
              downNanos.putIfAbsent(node.id().id(), System.nanoTime());
              down.putIfAbsent(node.id().id(), reason);
            }
          }).build();
      caller.start();
      Await.until(() -> up.size() >= nodes, Duration.ofSeconds(60), "the caller is connected to every node");
      double firstUp = (up.values().stream().mapToLong(Long::longValue).min().orElseThrow() - start) / 1e6;
      double allUp = (up.values().stream().mapToLong(Long::longValue).max().orElseThrow() - start) / 1e6;
      progress("connected to %d nodes in %.0f ms; fan-out calls", nodes, allUp);

      ModuleCall where = caller.template().module("game", "where");
      Histogram fanOut = new Histogram(3);
      int incomplete = 0;
      for (int i = 0; i < WARM_UP_CALLS + MEASURED_CALLS; i++) {
        long begin = System.nanoTime();
        AllNodesReply<Integer> reply = where.allNodes().call("id", Integer.class);
        long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - begin);
        if (i >= WARM_UP_CALLS) {
          fanOut.recordValue(micros);
          if (reply.replies().size() != nodes) {
            incomplete++;
          }
        }
      }

      Map<Integer, Long> closing = new TreeMap<>();
      for (int id = 1; id <= LEAVING; id++) {
        closing.put(id, System.nanoTime());
        servers.get(id - 1).close();
      }
      Await.until(() -> downNanos.keySet().containsAll(closing.keySet()), Duration.ofSeconds(30),
          "the caller saw every leaving node go");
      double slowestDown = closing.entrySet().stream()
          .mapToLong(entry -> downNanos.get(entry.getKey()) - entry.getValue()).max().orElseThrow() / 1e6;
      Map<String, Integer> reasons = new TreeMap<>();
      down.values().forEach(reason -> reasons.merge(reason.name(), 1, Integer::sum));
      return new Result(nodes, firstUp, allUp, fanOut, incomplete, slowestDown, reasons);
    } finally {
      if (caller != null) {
        caller.close();
      }
      servers.forEach(FrpcNode::close);
      application.destroy();
    }
  }
}
