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

  /** Throughput runs: messages published but not yet received by the slowest subscriber, at most. */
  static final int WINDOW = 1_000;
  /** Latency runs: the publisher sleeps this long after each message. */
  static final Duration PACE = Duration.of(200, ChronoUnit.MICROS);
  /** A run whose subscribers receive nothing for this long while messages are outstanding fails. */
  private static final Duration STALL_TIMEOUT = Duration.ofSeconds(10);
  /** The publisher's sleep while the window is full, before it looks again. */
  private static final long FULL_WINDOW_PARK_NANOS = 10_000;

  private final PubSubSystem system;
  private final PubSubScenario scenario;
  private final SubscriberGroup subscribers;
  private final Publisher publisher;
  private long published;

  private ScenarioRun(PubSubSystem system, PubSubScenario scenario, SubscriberGroup subscribers,
      Publisher publisher) {
    this.system = system;
    this.scenario = scenario;
    this.subscribers = subscribers;
    this.publisher = publisher;
  }

  static PubSubResult run(PubSubSystem system, PubSubScenario scenario, int rep, PubSubTiming timing) {
    SubscriberGroup subscribers = new SubscriberGroup(scenario.subscribers());
    try (Publisher publisher = system.connect(subscribers)) {
      ScenarioRun run = new ScenarioRun(system, scenario, subscribers, publisher);
      Interval interval = run.publish(timing);
      Histogram latencies = subscribers.latencies();
      long undelivered = run.awaitDelivery();
      return PubSubResult.of(system.name(), scenario, rep, interval, latencies, subscribers, undelivered);
    }
  }

  /** Publishes until the measured interval ends; returns the counts of that interval. */
  private Interval publish(PubSubTiming timing) {
    long start = System.nanoTime();
    long measureFrom = start + timing.warmup().toNanos();
    long end = measureFrom + timing.measure().toNanos();
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
      if (!scenario.paced() && published - slowest >= WINDOW) {
        long received = subscribers.slowest();
        if (received > slowest) {
          slowest = received;
          progressAt = now;
        }
        if (published - slowest >= WINDOW) {
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
      throw new IllegalStateException(system.name() + ", " + scenario.title() + ": the window of " + WINDOW
          + " messages has been full for " + STALL_TIMEOUT.toSeconds() + " s; published " + published
          + ", received per subscriber " + subscribers.describe() + ", out of sequence "
          + subscribers.outOfSequence() + ", drops reported " + subscribers.reportedDrops());
    }
  }
}
