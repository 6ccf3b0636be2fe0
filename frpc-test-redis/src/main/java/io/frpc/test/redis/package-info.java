/**
 * A real Redis for tests: {@link io.frpc.test.redis.TestRedis} (one server, in Docker when an engine is available,
 * else the Redis binary of {@code com.github.codemonstur:embedded-redis}), the JUnit 5
 * {@link io.frpc.test.redis.RedisServerExtension} that starts one per test class, and for deployments of several
 * processes (replication, Sentinel, Cluster) {@link io.frpc.test.redis.RedisProcess} with
 * {@link io.frpc.test.redis.RedisAdmin}.
 */
package io.frpc.test.redis;
