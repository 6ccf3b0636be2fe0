package io.frpc.discovery.redis;

import io.frpc.FrpcTemplate;
import io.frpc.LocalNode;
import io.frpc.spring.FrpcHandler;
import io.frpc.spring.NodeDownEvent;
import io.frpc.spring.NodeEvent;
import io.frpc.spring.NodeUpEvent;
import io.frpc.spring.autoconfigure.FrpcAutoConfiguration;
import io.frpc.spring.autoconfigure.FrpcHealthContributorAutoConfiguration;
import io.frpc.spring.autoconfigure.FrpcRedisDiscoveryAutoConfiguration;
import io.frpc.FrpcInstance;
import io.frpc.FrpcNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;

/**
 * Real Spring nodes using Redis discovery against a test Redis, each test isolated by its own key
 * prefix. Serving nodes are named {@code game} and serve module {@code where}; calling nodes are named
 * {@code lobby} and watch {@code game}.
 */
final class RedisNodes implements AutoCloseable {

  private static final AtomicInteger PREFIXES = new AtomicInteger();

  private final RedisDeployment redis;
  private final String prefix = "t" + PREFIXES.incrementAndGet();
  private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

  RedisNodes(RedisDeployment redis) {
    this.redis = redis;
  }

  String prefix() {
    return prefix;
  }

  String key(int gameId) {
    return prefix + ":rpc:game:" + gameId;
  }

  /** A serving node game:{id}, registering itself unless told otherwise. */
  ConfigurableApplicationContext game(int id, String... extraProperties) {
    List<String> args = new ArrayList<>(common());
    args.addAll(List.of("--frpc.node.name=game", "--frpc.node.id=" + id, "--frpc.server.port=0",
        "--frpc.server.host=127.0.0.1"));
    args.addAll(List.of(extraProperties));
    return start(GameNode.class, args);
  }

  /** A calling node lobby:{id} watching game. */
  ConfigurableApplicationContext lobby(int id, String... extraProperties) {
    List<String> args = new ArrayList<>(common());
    args.addAll(List.of("--frpc.node.name=lobby", "--frpc.node.id=" + id, "--frpc.server.enabled=false",
        "--frpc.discovery.redis.watch=game"));
    args.addAll(List.of(extraProperties));
    return start(LobbyNode.class, args);
  }

  private List<String> common() {
    List<String> common = new ArrayList<>(redis.springArguments());
    common.addAll(List.of("--spring.main.banner-mode=off", "--frpc.discovery.type=redis",
        "--frpc.discovery.redis.key-prefix=" + prefix, "--frpc.client.connect-wait=2s",
        "--frpc.client.reconnect-max-backoff=500ms", "--logging.level.io.frpc=info"));
    return common;
  }

  private ConfigurableApplicationContext start(Class<?> configuration, List<String> args) {
    ConfigurableApplicationContext context = new SpringApplicationBuilder(configuration)
        .web(WebApplicationType.NONE).run(args.toArray(String[]::new));
    contexts.add(context);
    return context;
  }

  static int port(ConfigurableApplicationContext game) {
    return game.getBean(FrpcNode.class).listenAddress().getPort();
  }

  static LocalNode local(ConfigurableApplicationContext node) {
    return node.getBean(FrpcNode.class).local();
  }

  static FrpcTemplate frpc(ConfigurableApplicationContext lobby) {
    return lobby.getBean(FrpcTemplate.class);
  }

  static Events events(ConfigurableApplicationContext lobby) {
    return lobby.getBean(Events.class);
  }

  @Override
  public void close() {
    for (int i = contexts.size() - 1; i >= 0; i--) {
      contexts.get(i).close();
    }
  }

  /** Minimal node configuration: the auto-configurations discovery needs, nothing scanned. */
  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({DataRedisAutoConfiguration.class, FrpcAutoConfiguration.class,
      FrpcRedisDiscoveryAutoConfiguration.class, FrpcHealthContributorAutoConfiguration.class})
  static class NodeBase {
  }

  @Configuration(proxyBeanMethods = false)
  @Import({NodeBase.class, Where.class})
  static class GameNode {
  }

  @Configuration(proxyBeanMethods = false)
  @Import({NodeBase.class, Events.class})
  static class LobbyNode {
  }

  /** Module "where": tells which node answered. */
  @FrpcHandler(module = "where")
  static class Where {
    private final FrpcInstance self;

    Where(FrpcInstance self) {
      this.self = self;
    }

    public int id() {
      return self.node().id();
    }
  }

  /** Node events as seen by a lobby node, with their arrival times. */
  static class Events {
    record Seen(NodeEvent event, long nanos) {
      String describe() {
        return (event instanceof NodeUpEvent ? "up " : "down ") + event.nodeName() + ":" + event.nodeId()
            + (event instanceof NodeDownEvent down ? " " + down.reason() : "");
      }
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    @EventListener
    void on(NodeEvent event) {
      seen.add(new Seen(event, System.nanoTime()));
    }

    List<String> log() {
      return seen.stream().map(Seen::describe).toList();
    }

    /** When {@code description} (e.g. "up game:1") was first seen, or -1. */
    long firstNanos(String description) {
      return seen.stream().filter(s -> s.describe().equals(description)).mapToLong(Seen::nanos).findFirst()
          .orElse(-1);
    }
  }
}
