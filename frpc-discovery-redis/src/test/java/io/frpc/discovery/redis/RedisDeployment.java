package io.frpc.discovery.redis;

import io.frpc.test.redis.TestRedis;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** A running Redis deployment (standalone, Sentinel or Cluster) as frpc nodes and test helpers reach it. */
interface RedisDeployment {

  /** A new, started connection factory for this deployment; the caller destroys it. */
  LettuceConnectionFactory connectionFactory();

  /** The single server {@code redis} as a deployment. */
  static RedisDeployment standalone(TestRedis redis) {
    return () -> {
      LettuceConnectionFactory factory = new LettuceConnectionFactory(redis.host(), redis.port());
      factory.afterPropertiesSet();
      factory.start();
      return factory;
    };
  }
}
