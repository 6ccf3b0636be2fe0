package io.frpc.sample.server;

import io.frpc.FrpcNode;
import io.frpc.pubsub.FrpcPublisher;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The seed's watch and watch_syn test server: publishes {@code test_pub} every second, and keeps state
 * channels {@code name1:age:address} (its age grows every second) and {@code name2:age:address}.
 */
@Component
class TestPublisher implements SmartLifecycle {

  /** A message on {@code test_pub}. */
  record TestPub(long seq, String from) {
  }

  /** The value of a {@code nameN:age:address} state channel. */
  record Person(String name, int age, String address) {
  }

  private final FrpcPublisher publisher;
  private final String self;
  private ScheduledExecutorService timer;
  private long seq;

  TestPublisher(FrpcPublisher publisher, FrpcNode node) {
    this.publisher = publisher;
    this.self = node.id().toString();
  }

  @Override
  public synchronized void start() {
    publisher.publishState("name1:age:address", new Person("name1", 18, "address1"));
    publisher.publishState("name2:age:address", new Person("name2", 30, "address2"));
    timer = Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "test-publisher"));
    timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  private void tick() {
    seq++;
    if (publisher.hasSubscribers("test_pub")) {
      publisher.publish("test_pub", new TestPub(seq, self));
    }
    publisher.publishState("name1:age:address", new Person("name1", 18 + (int) seq, "address1"));
  }

  @Override
  public synchronized void stop() {
    timer.shutdownNow();
    timer = null;
  }

  @Override
  public synchronized boolean isRunning() {
    return timer != null;
  }
}
