package io.frpc.discovery.redis;

import io.frpc.NodeId;
import io.frpc.discovery.RegistrationSignatures;
import io.frpc.internal.protocol.FrameType;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

/** A registrar driven by a test, on a scheduler the test can freeze like a hung process. */
final class ManualRegistration implements AutoCloseable {

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
      new DefaultThreadFactory("test-registrar", true));
  private final CountDownLatch unfreeze = new CountDownLatch(1);
  private final LettuceConnectionFactory factory;
  private final RedisNodeRegistrar registrar;

  ManualRegistration(RedisDeployment redis, RedisDiscoverySettings settings, NodeId node, int port, String bootId) {
    this(redis, settings, node, port, bootId, false);
  }

  /** A registration that says whether the node's listener speaks TLS. */
  ManualRegistration(RedisDeployment redis, RedisDiscoverySettings settings, NodeId node, int port, String bootId,
      boolean tls) {
    factory = redis.connectionFactory();
    registrar = new RedisNodeRegistrar(node, new NodeRegistration("127.0.0.1", port, tls,
        FrameType.PROTOCOL_VERSION, bootId), settings, new StringRedisTemplate(factory),
        JsonMapper.builder().build(), RegistrationSignatures.NONE, scheduler);
  }

  ManualRegistration start() {
    registrar.start();
    return this;
  }

  /** Freezes the registrar's thread like a hung process: no refresh, no deregistration. */
  void hang() {
    scheduler.execute(() -> {
      try {
        unfreeze.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  @Override
  public void close() {
    unfreeze.countDown();
    scheduler.shutdownNow();
    factory.destroy();
  }
}
