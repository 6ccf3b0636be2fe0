package io.frpc.bench.scale;

import io.frpc.NodeId;
import io.frpc.discovery.redis.RedisDiscoverySettings;
import io.frpc.discovery.redis.StandaloneRegistration;
import io.frpc.time.SystemClock;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The load generator: frpc's own registrar, once per simulated node, refreshing keys exactly as real nodes do,
 * sharing one Redis connection and a small scheduler (a real node has its own of both). All its threads are
 * named {@code load-*}, so their CPU is told apart from the watchers'. A registrar started as freezable gets a
 * scheduler of its own, which {@link #freeze(NodeId)} blocks like a hung process.
 */
final class SimulatedRegistrations implements AutoCloseable {

  private final ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(2)
      .computationThreadPoolSize(1).threadFactoryProvider(pool -> new DefaultThreadFactory("load-" + pool, true))
      .build();
  private final LettuceConnectionFactory connections;
  private final StringRedisTemplate redis;
  private final RedisDiscoverySettings settings;
  private final ScheduledExecutorService shared = Executors.newScheduledThreadPool(2,
      new DefaultThreadFactory("load-registrar", true));
  private final SystemClock clock = new SystemClock("load");
  private final Map<NodeId, Registration> registrations = new ConcurrentHashMap<>();
  private final CountDownLatch thaw = new CountDownLatch(1);

  private record Registration(StandaloneRegistration registrar, long startNanos, ScheduledExecutorService own) {
  }

  SimulatedRegistrations(int redisPort, RedisDiscoverySettings settings) {
    this.settings = settings;
    connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redisPort),
        LettuceClientConfiguration.builder().clientResources(resources).build());
    connections.afterPropertiesSet();
    connections.start();
    redis = new StringRedisTemplate(connections);
  }

  ClientResources resources() {
    return resources;
  }

  /** Starts registering {@code node}: its first claim is sent at once. */
  void register(NodeId node, boolean freezable) {
    ScheduledExecutorService own = freezable ? Executors.newSingleThreadScheduledExecutor(
        new DefaultThreadFactory("load-frozen", true)) : null;
    StandaloneRegistration registrar = new StandaloneRegistration(node, 10_000 + node.id() % 50_000,
        UUID.randomUUID().toString(), false, settings, redis, clock, own != null ? own : shared);
    registrations.put(node, new Registration(registrar, System.nanoTime(), own));
    registrar.start();
  }

  /** When {@code node} started registering. */
  long startNanos(NodeId node) {
    return registrations.get(node).startNanos();
  }

  /** Blocks the registrar of a freezable node: no refresh, no deregistration, like a process under SIGSTOP. */
  void freeze(NodeId node) {
    registrations.get(node).own().execute(() -> {
      try {
        thaw.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  @Override
  public void close() {
    thaw.countDown();
    shared.shutdownNow();
    registrations.values().forEach(registration -> {
      if (registration.own() != null) {
        registration.own().shutdownNow();
      }
    });
    clock.close();
    connections.destroy();
    resources.shutdown(0, 1, TimeUnit.SECONDS);
  }
}
