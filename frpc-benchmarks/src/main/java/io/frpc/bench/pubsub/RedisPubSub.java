package io.frpc.bench.pubsub;

import io.frpc.bench.Await;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis pub/sub through Lettuce with default client options: PUBLISH from one connection with the async
 * API, and per subscriber a pub/sub connection of its own that SUBSCRIBEs with {@link ByteArrayCodec}. The
 * connections share one {@link RedisClient} and its event loops; Lettuce calls listeners on them.
 */
final class RedisPubSub implements PubSubSystem, AutoCloseable {

  private static final byte[] CHANNEL_BYTES = CHANNEL.getBytes(StandardCharsets.UTF_8);

  private final RedisClient client;

  RedisPubSub(String host, int port) {
    this.client = RedisClient.create(RedisURI.create(host, port));
  }

  @Override
  public String name() {
    return "redis";
  }

  /** The {@code redis_version} the server reports. */
  String serverVersion() {
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      return connection.sync().info("server").lines().filter(line -> line.startsWith("redis_version:"))
          .map(line -> line.substring("redis_version:".length()).strip()).findFirst().orElse("unknown");
    }
  }

  @Override
  public Publisher connect(SubscriberGroup subscribers) {
    List<StatefulConnection<?, ?>> connections = new ArrayList<>();
    try {
      for (Subscriber subscriber : subscribers.members()) {
        StatefulRedisPubSubConnection<byte[], byte[]> connection = client.connectPubSub(ByteArrayCodec.INSTANCE);
        connections.add(connection);
        connection.addListener(new RedisPubSubAdapter<>() {
          @Override
          public void message(byte[] channel, byte[] message) {
            subscriber.receive(message, 0);
          }
        });
        connection.sync().subscribe(CHANNEL_BYTES);
      }
      StatefulRedisConnection<byte[], byte[]> publisher = client.connect(ByteArrayCodec.INSTANCE);
      connections.add(publisher);
      int expected = subscribers.members().size();
      Await.until(() -> publisher.sync().pubsubNumsub(CHANNEL_BYTES).values().iterator().next() == expected,
          Duration.ofSeconds(30), expected + " Redis subscriptions at the server");
      return new ConnectionsPublisher(publisher.async(), connections);
    } catch (RuntimeException e) {
      closeAll(connections);
      throw e;
    }
  }

  /** Shuts the client and its event loops down. */
  @Override
  public void close() {
    client.shutdown();
  }

  private static void closeAll(List<StatefulConnection<?, ?>> connections) {
    connections.forEach(StatefulConnection::close);
  }

  /** Publishes through the async API of the publishing connection; closing closes every connection. */
  private record ConnectionsPublisher(RedisAsyncCommands<byte[], byte[]> commands,
      List<StatefulConnection<?, ?>> connections) implements Publisher {

    @Override
    public void publish(byte[] payload) {
      commands.publish(CHANNEL_BYTES, payload);
    }

    @Override
    public void close() {
      closeAll(connections);
    }
  }
}
