package io.frpc.test.redis.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.test.redis.TestRedis;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

class TestRedisConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
      .withUserConfiguration(TestRedisConfiguration.class);

  @Test
  void theApplicationsRedisConnectionReachesTheTestRedisWithoutAnyRedisProperty() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(TestRedis.class).hasSingleBean(DataRedisConnectionDetails.class);
      TestRedis redis = context.getBean(TestRedis.class);

      context.getBean(StringRedisTemplate.class).opsForValue().set("greeting", "hello from Spring");

      assertThat(redis.execute("GET", "greeting")).isEqualTo("hello from Spring");
      LettuceConnectionFactory connections = (LettuceConnectionFactory) context.getBean(RedisConnectionFactory.class);
      assertThat(connections.getHostName()).isEqualTo(redis.host());
      assertThat(connections.getPort()).isEqualTo(redis.port());
    });
  }

  @Test
  void theServerWinsOverRedisPropertiesThatPointElsewhere() {
    runner.withPropertyValues("spring.data.redis.host=redis.invalid", "spring.data.redis.port=1").run(context -> {
      context.getBean(StringRedisTemplate.class).opsForValue().set("k", "v");

      assertThat(context.getBean(TestRedis.class).execute("GET", "k")).isEqualTo("v");
    });
  }

  @Test
  void theServerStopsWithTheContext() {
    TestRedis[] started = new TestRedis[1];
    runner.run(context -> started[0] = context.getBean(TestRedis.class));

    assertThat(started[0].isRunning()).isFalse();
    Assertions.assertThatThrownBy(() -> {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(started[0].host(), started[0].port()), 2000);
      }
    }).isInstanceOf(ConnectException.class);
  }
}
