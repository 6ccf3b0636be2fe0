package io.frpc.bench.scale;

import ch.qos.logback.classic.Level;
import io.frpc.discovery.redis.RedisDiscoverySettings;
import io.frpc.discovery.redis.RedisNodeDiscovery;
import io.frpc.time.SystemClock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * One watcher in a process of its own, so its CPU can be measured as a process's:
 * {@code WatcherProcess <redis port> <key prefix> <id>}. Prints {@code READY} once subscribed, runs until its
 * standard input ends.
 */
public final class WatcherProcess {

  private WatcherProcess() {
  }

  public static void main(String[] args) throws Exception {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    int port = Integer.parseInt(args[0]);
    RedisDiscoverySettings settings = new RedisDiscoverySettings(args[1], DiscoveryScale.TTL, Duration.ofSeconds(1),
        Duration.ofSeconds(60), List.of("game"), true, 0, Integer.MAX_VALUE, false);
    LettuceConnectionFactory application = new LettuceConnectionFactory(
        new RedisStandaloneConfiguration("127.0.0.1", port));
    application.afterPropertiesSet();
    RedisNodeDiscovery watcher = RedisNodeDiscovery.builder(application).settings(settings).build();
    watcher.start(new RecordingContext(Integer.parseInt(args[2]), new SystemClock("watcher")));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!watcher.health().healthy()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not subscribed after 30 s: " + watcher.health());
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
    System.out.println("READY");
    System.out.flush();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      while (in.readLine() != null) {
        // runs until the parent closes the pipe
      }
    } catch (IOException e) {
      // parent gone
    }
    watcher.close();
    application.destroy();
  }
}
