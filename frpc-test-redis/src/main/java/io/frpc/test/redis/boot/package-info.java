/**
 * Spring Boot integration of the test Redis: {@link io.frpc.test.redis.boot.TestRedisConfiguration} (Docker or
 * the embedded binary, as a connection-details bean) and {@link io.frpc.test.redis.boot.RedisContainerConfiguration}
 * (a Testcontainers container with {@code @ServiceConnection}). Needs {@code spring-boot-data-redis} and
 * {@code spring-boot-test}; the container one also {@code spring-boot-testcontainers}.
 */
package io.frpc.test.redis.boot;
