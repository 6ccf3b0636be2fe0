package io.frpc.discovery.redis;

import io.frpc.FrpcInstance;
import io.frpc.FrpcNode;
import io.frpc.FrpcTemplate;
import io.frpc.HandlerDefinition;
import io.frpc.LocalNode;
import io.frpc.NodeDownReason;
import io.frpc.NodeListener;
import io.frpc.RemoteNode;
import io.frpc.test.redis.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Real nodes ({@link FrpcNode} with {@link RedisNodeDiscovery}, no Spring) against a test Redis, each test isolated
 * by its own key prefix. Serving nodes are named {@code game} and serve module {@code where}; calling nodes are
 * named {@code lobby} and watch {@code game}.
 */
final class RedisNodes implements AutoCloseable {

  private static final AtomicInteger PREFIXES = new AtomicInteger();

  private final RedisDeployment redis;
  private final String prefix = "t" + PREFIXES.incrementAndGet();
  private final List<Node> nodes = new ArrayList<>();

  RedisNodes(RedisDeployment redis) {
    this.redis = redis;
  }

  /** Nodes on the standalone {@code redis}, started again first if an earlier test stopped it. */
  static RedisNodes standalone(TestRedis redis) {
    if (!redis.isRunning()) {
      redis.start();
    }
    return new RedisNodes(RedisDeployment.standalone(redis));
  }

  String prefix() {
    return prefix;
  }

  String key(int gameId) {
    return prefix + ":rpc:game:" + gameId;
  }

  /** A serving node game:{id}, registering itself unless told otherwise. */
  Node game(int id, Option... options) {
    FrpcNode.Builder node = FrpcNode.builder("game", id).listen("127.0.0.1", 0)
        .handler(HandlerDefinition.of("where", null, 1, Where::new));
    return start(node, List.of(), options);
  }

  /** A calling node lobby:{id} watching game. */
  Node lobby(int id, Option... options) {
    return start(FrpcNode.builder("lobby", id).serve(false), List.of("game"), options);
  }

  private Node start(FrpcNode.Builder node, List<String> watch, Option... options) {
    Events events = new Events();
    LettuceConnectionFactory connections = redis.connectionFactory();
    RedisNodeDiscovery.Builder discovery = RedisNodeDiscovery.builder(connections).keyPrefix(prefix).watch(watch);
    node.listener(events);
    node.connectWait(Duration.ofSeconds(2)).reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(500));
    for (Option option : options) {
      option.apply(node, discovery);
    }
    RedisNodeDiscovery built = discovery.build();
    FrpcNode frpc = node.discovery(built).build();
    Node started = new Node(frpc, built, events, connections);
    nodes.add(started);
    frpc.start();
    return started;
  }

  static int port(Node game) {
    return game.node().listenAddress().getPort();
  }

  static LocalNode local(Node node) {
    return node.node().local();
  }

  static FrpcTemplate frpc(Node lobby) {
    return lobby.node().template();
  }

  static Events events(Node lobby) {
    return lobby.events();
  }

  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
  }

  /** A running node, its discovery, the events it saw and the Redis connections it was given. */
  record Node(FrpcNode node, RedisNodeDiscovery discovery, Events events, LettuceConnectionFactory connections)
      implements AutoCloseable {

    /** Closes the node gracefully (it announces its shutdown, then deregisters). Idempotent. */
    @Override
    public void close() {
      node.close();
      connections.destroy();
    }
  }

  /** What a node differs in from the others: its builder and its discovery's. */
  @FunctionalInterface
  interface Option {

    void apply(FrpcNode.Builder node, RedisNodeDiscovery.Builder discovery);

    /** A serving node that does not register (a test registers it by hand). */
    static Option notRegistering() {
      return (node, discovery) -> discovery.register(false);
    }

    /** A node with the shared secret of the cluster: it signs its registration and checks those it reads. */
    static Option secret(String secret) {
      return (node, discovery) -> node.secret(secret);
    }

    static Option maxNodesPerName(int max) {
      return (node, discovery) -> discovery.maxNodesPerName(max);
    }

    static Option resyncInterval(Duration interval) {
      return (node, discovery) -> discovery.resyncInterval(interval);
    }

    /** Discovery checks notify-keyspace-events but never changes it. */
    static Option keyspaceEventsLeftAlone() {
      return (node, discovery) -> discovery.configureKeyspaceEvents(false);
    }
  }

  /** Module "where": tells which node answered. */
  static final class Where {
    private final FrpcInstance self;

    Where(FrpcInstance self) {
      this.self = self;
    }

    public int id() {
      return self.node().id();
    }
  }

  /** Node events as a node's listener saw them, with their arrival times. */
  static final class Events implements NodeListener {

    record Seen(String description, long nanos) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    @Override
    public void nodeUp(RemoteNode node) {
      seen.add(new Seen("up " + node.id().name() + ":" + node.id().id(), System.nanoTime()));
    }

    @Override
    public void nodeDown(RemoteNode node, NodeDownReason reason) {
      seen.add(new Seen("down " + node.id().name() + ":" + node.id().id() + " " + reason, System.nanoTime()));
    }

    List<String> log() {
      return seen.stream().map(Seen::description).toList();
    }

    /** When {@code description} (e.g. "up game:1") was first seen, or -1. */
    long firstNanos(String description) {
      return seen.stream().filter(s -> s.description().equals(description)).mapToLong(Seen::nanos).findFirst()
          .orElse(-1);
    }
  }
}
