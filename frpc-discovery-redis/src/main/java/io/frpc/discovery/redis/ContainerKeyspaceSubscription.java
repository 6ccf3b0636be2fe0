package io.frpc.discovery.redis;

import io.frpc.internal.Backoff;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Keyspace notifications of one server (standalone, or the master Sentinel names) through Spring's listener
 * container, which re-subscribes after connection losses; with Sentinel, Lettuce asks the sentinels for the
 * master on every reconnection, so the subscription moves to a promoted replica by itself. It also listens to an
 * echo channel of its own, through which the watcher checks that it still delivers.
 */
final class ContainerKeyspaceSubscription implements KeyspaceSubscription {

  private static final Logger log = LoggerFactory.getLogger(ContainerKeyspaceSubscription.class);
  /** Waits between the container's attempts to subscribe again after a connection loss. */
  private static final Backoff RECOVERY = Backoff.fixed(Duration.ofMillis(500));

  private final RedisMessageListenerContainer container = new RedisMessageListenerContainer();
  private final boolean echoes;

  ContainerKeyspaceSubscription(RedisConnectionFactory connections, List<String> patterns, String echoChannel,
      Listener listener) {
    container.setConnectionFactory(connections);
    container.setRecoveryBackoff(new RecoveryBackOff(RECOVERY));
    // Deliver on the subscription's own thread, in the order Redis sent them. (The default executor starts a
    // thread per message: no order at all.)
    container.setTaskExecutor(new SyncTaskExecutor());
    Relay relay = new Relay(listener);
    container.addMessageListener(relay, patterns.stream().map(PatternTopic::new).toList());
    if (echoChannel != null) {
      container.addMessageListener(relay, new ChannelTopic(echoChannel));
    }
    echoes = echoChannel != null;
    container.afterPropertiesSet();
  }

  @Override
  public void start() {
    container.start();
  }

  @Override
  public boolean echoes() {
    return echoes;
  }

  @Override
  public boolean isListening() {
    return container.isListening();
  }

  @Override
  public void close() {
    try {
      container.destroy();
    } catch (Exception e) {
      log.debug("Closing a keyspace subscription failed", e);
    }
  }

  /**
   * {@code backoff} as the container's recovery back-off: the container sleeps its own thread between attempts, for
   * as long as this says.
   */
  private record RecoveryBackOff(Backoff backoff) implements BackOff {

    @Override
    public BackOffExecution start() {
      SplittableRandom random = new SplittableRandom();
      int[] attempts = {0};
      return () -> TimeUnit.NANOSECONDS.toMillis(backoff.delayNanos(++attempts[0], random));
    }
  }

  private record Relay(Listener listener) implements MessageListener, SubscriptionListener {

    @Override
    public void onMessage(Message message, byte[] pattern) {
      if (pattern == null || pattern.length == 0) {
        listener.echoed(new String(message.getBody(), StandardCharsets.UTF_8));
        return;
      }
      listener.notification(new String(message.getChannel(), StandardCharsets.UTF_8),
          new String(message.getBody(), StandardCharsets.UTF_8));
    }

    @Override
    public void onPatternSubscribed(byte[] pattern, long count) {
      listener.subscribed();
    }

    @Override
    public void onPatternUnsubscribed(byte[] pattern, long count) {
      listener.unsubscribed();
    }
  }
}
