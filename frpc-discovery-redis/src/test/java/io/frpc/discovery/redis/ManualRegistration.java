package io.frpc.discovery.redis;

import io.frpc.NodeId;
import io.frpc.time.SystemClock;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** A registrar driven by a test, on a thread the test can freeze like a hung process. */
final class ManualRegistration implements AutoCloseable {

  private final ExecutorService thread = Executors.newSingleThreadExecutor(
      new DefaultThreadFactory("test-registrar", true));
  private final SystemClock clock = new SystemClock("test-registrar");
  private final CountDownLatch unfreeze = new CountDownLatch(1);
  private final LettuceConnectionFactory factory;
  private final StandaloneRegistration registration;

  ManualRegistration(RedisDeployment redis, RedisDiscoverySettings settings, NodeId node, int port, String bootId) {
    this(redis, settings, node, port, bootId, false);
  }

  /** A registration that says whether the node's listener speaks TLS. */
  ManualRegistration(RedisDeployment redis, RedisDiscoverySettings settings, NodeId node, int port, String bootId,
      boolean tls) {
    factory = redis.connectionFactory();
    registration = new StandaloneRegistration(node, port, bootId, tls, settings, new StringRedisTemplate(factory),
        clock, thread);
  }

  ManualRegistration start() {
    registration.start();
    return this;
  }

  /** Freezes the registrar's thread like a hung process: no refresh, no deregistration. */
  void hang() {
    thread.execute(() -> {
      try {
        unfreeze.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  /** Stops the registrar without deregistering (its key expires), like a process that is killed. */
  @Override
  public void close() {
    unfreeze.countDown();
    thread.shutdownNow();
    clock.close();
    factory.destroy();
  }
}
