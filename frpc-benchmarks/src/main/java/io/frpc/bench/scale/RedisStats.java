package io.frpc.bench.scale;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What Redis itself reports ({@code INFO}: commands processed, CPU used) and what a watcher receives: a
 * subscriber to the same keyspace-notification pattern, counting every message Redis sends it and noting when
 * each key was first written.
 */
final class RedisStats implements AutoCloseable {

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> commands;
  private final StatefulRedisPubSubConnection<String, String> notifications;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong changes = new AtomicLong();
  private final Map<String, Long> written = new ConcurrentHashMap<>();

  /** Snapshot of the counters. */
  record Snapshot(long nanos, long commands, double redisCpuSeconds, long notifications, long changes) {
  }

  RedisStats(int port, ClientResources resources, String channelPattern) {
    client = RedisClient.create(resources, RedisURI.create("127.0.0.1", port));
    commands = client.connect();
    notifications = client.connectPubSub();
    notifications.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(String pattern, String channel, String message) {
        received.incrementAndGet();
        if (!"expire".equals(message)) {
          changes.incrementAndGet();
        }
        if ("set".equals(message)) {
          written.putIfAbsent(channel.substring(channel.indexOf(':') + 1), System.nanoTime());
        }
      }
    });
    notifications.sync().psubscribe(channelPattern);
  }

  /** Notifications heard so far other than renewals. */
  long changes() {
    return changes.get();
  }

  /** When the first {@code set} of {@code key} was heard (as a watcher hears it), or {@code null}. */
  Long writtenNanos(String key) {
    return written.get(key);
  }

  Snapshot snapshot() {
    String stats = commands.sync().info("stats");
    String cpu = commands.sync().info("cpu");
    return new Snapshot(System.nanoTime(), (long) field(stats, "total_commands_processed"),
        field(cpu, "used_cpu_user") + field(cpu, "used_cpu_sys"), received.get(), changes.get());
  }

  private static double field(String info, String name) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(name + ":")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    throw new IllegalStateException("INFO has no " + name);
  }

  @Override
  public void close() {
    notifications.close();
    commands.close();
    client.shutdown();
  }
}
