package io.frpc.bench.pubsub;

import io.frpc.bench.pubsub.PubSubResult.Interval;
import io.frpc.bench.pubsub.PubSubSystem.Publisher;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * One run of a scenario on a system: connect, publish from this thread through the warm-up and the measured
 * interval, wait until every subscriber has every message, disconnect. The publishing loop is the same for
 * every system.
 */
final class ScenarioRun {

  /** Latency runs: the publisher sleeps this long after each message. */
  static final Duration PACE = Duration.of(200, ChronoUnit.MICROS);
  /** How long the slowest subscriber may receive nothing while messages are outstanding. */
  private static final Duration STALL_TIMEOUT = Duration.ofSeconds(5);
  /** The publisher's sleep while the window is full, before it looks again. */
  private static final long FULL_WINDOW_PARK_NANOS = 10_000;

  private final PubSubSystem system;
  private final PubSubScenario scenario;
  private final SubscriberGroup subscribers;
  private final Publisher publisher;
  private final int window;
  private long published; // also the sequence number of the next message

  private ScenarioRun(PubSubSystem system, PubSubScenario scenario, SubscriberGroup subscribers,
      Publisher publisher, int window) {
    this.system = system;
    this.scenario = scenario;
    this.subscribers = subscribers;
    this.publisher = publisher;
    this.window = window;
  }

  static PubSubResult run(PubSubSystem system, PubSubScenario scenario, int rep, PubSubSettings settings) {
    SubscriberGroup subscribers = new SubscriberGroup(scenario.subscribers());
    try (Publisher publisher = system.connect(subscribers)) {
      ScenarioRun run = new ScenarioRun(system, scenario, subscribers, publisher, settings.window());
      Interval interval = run.publish(settings);
      Histogram latencies = subscribers.latencies();
      long undelivered = run.awaitDelivery();
      return PubSubResult.of(system.name(), scenario, rep, interval, latencies, subscribers, undelivered);
    }
  }

  /** Publishes until the measured interval ends; returns the counts of that interval. */
  private Interval publish(PubSubSettings settings) {
    long start = System.nanoTime();
    long measureFrom = start + settings.warmup().toNanos();
    long end = measureFrom + settings.measure().toNanos();
    boolean measuring = false;
    long publishedBefore = 0;
    long receivedBefore = 0;
    long slowest = 0;
    long progressAt = start;
    for (long now = start; now < end; now = System.nanoTime()) {
      if (!measuring && now >= measureFrom) {
        measuring = true;
        measureFrom = now;
        publishedBefore = published;
        receivedBefore = subscribers.received();
        subscribers.latencies(); // discards the warm-up's
      }
      if (!scenario.paced() && published - slowest >= window) {
        long received = subscribers.slowest();
        if (received > slowest) {
          slowest = received;
          progressAt = now;
        }
        if (published - slowest >= window) {
          failIfStalled(now - progressAt);
          LockSupport.parkNanos(FULL_WINDOW_PARK_NANOS);
          continue;
        }
      }
      publisher.publish(StampedPayload.create(scenario.payloadBytes(), published++));
      if (scenario.paced()) {
        LockSupport.parkNanos(PACE.toNanos());
      }
    }
    return new Interval(System.nanoTime() - measureFrom, published - publishedBefore,
        subscribers.received() - receivedBefore);
  }

  /** Waits until every subscriber received every message or stopped receiving; returns the messages missing. */
  private long awaitDelivery() {
    long expected = published * scenario.subscribers();
    long received = subscribers.received();
    long progressAt = System.nanoTime();
    while (received < expected && System.nanoTime() - progressAt < STALL_TIMEOUT.toNanos()) {
      LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
      long now = subscribers.received();
      if (now > received) {
        received = now;
        progressAt = System.nanoTime();
      }
    }
    return expected - received;
  }

  private void failIfStalled(long nanosWithoutProgress) {
    if (nanosWithoutProgress > STALL_TIMEOUT.toNanos()) {
      throw new IllegalStateException(system.name() + ", " + scenario.title() + ": the slowest subscriber received "
          + "nothing for " + STALL_TIMEOUT.toSeconds() + " s while the window of " + window + " messages was full; "
          + "published " + published
          + ", received per subscriber " + subscribers.describe() + ", out of sequence "
          + subscribers.outOfSequence() + ", drops reported " + subscribers.reportedDrops());
    }
  }
}
