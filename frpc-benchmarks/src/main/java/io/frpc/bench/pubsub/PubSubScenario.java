package io.frpc.bench.pubsub;

import java.util.List;

/**
 * What one run publishes, identical for every system.
 *
 * @param title        the scenario column of the report
 * @param subscribers  subscriber connections, each from a subscriber of its own
 * @param payloadBytes size of every payload, at least {@link StampedPayload#MIN_BYTES}
 * @param paced        {@code true}: one message at a time at a modest rate, for latency; {@code false}: as
 *                     fast as the window of messages in flight allows, for throughput
 */
record PubSubScenario(String title, int subscribers, int payloadBytes, boolean paced) {

  static final PubSubScenario ONE_SUBSCRIBER_32_B = new PubSubScenario("1 subscriber, 32 B", 1, 32, false);
  static final PubSubScenario ONE_SUBSCRIBER_1_KIB = new PubSubScenario("1 subscriber, 1 KiB", 1, 1024, false);
  static final PubSubScenario TEN_SUBSCRIBERS_32_B = new PubSubScenario("10 subscribers, 32 B", 10, 32, false);
  static final PubSubScenario LATENCY_32_B = new PubSubScenario("latency, 1 subscriber, 32 B", 1, 32, true);
  static final List<PubSubScenario> ALL = List.of(ONE_SUBSCRIBER_32_B, ONE_SUBSCRIBER_1_KIB, TEN_SUBSCRIBERS_32_B,
      LATENCY_32_B);

  PubSubScenario {
    if (payloadBytes < StampedPayload.MIN_BYTES) {
      throw new IllegalArgumentException("payloads carry two stamps and need at least " + StampedPayload.MIN_BYTES
          + " bytes, not " + payloadBytes);
    }
  }
}
