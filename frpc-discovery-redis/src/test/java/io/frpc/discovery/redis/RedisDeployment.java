package io.frpc.discovery.redis;

import java.util.List;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** A running Redis deployment (standalone, Sentinel or Cluster) as frpc nodes and test helpers reach it. */
interface RedisDeployment {

  /** The {@code spring.data.redis.*} arguments that point a Spring node at this deployment. */
  List<String> springArguments();

  /** A new, started connection factory for this deployment; the caller destroys it. */
  LettuceConnectionFactory connectionFactory();
}
