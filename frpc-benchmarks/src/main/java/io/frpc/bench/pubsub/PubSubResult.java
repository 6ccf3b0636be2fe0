package io.frpc.bench.pubsub;

import org.HdrHistogram.Histogram;

/**
 * One measured run of one scenario on one system.
 *
 * @param system             {@link PubSubSystem#name()}
 * @param scenario           the scenario
 * @param rep                repetition number, from 1
 * @param publishedPerSecond messages published per second in the measured interval
 * @param deliveredPerSecond messages received per second in the measured interval, summed over subscribers
 * @param p50Micros          median publish-to-delivery latency of the messages received in the interval
 * @param p99Micros          99th percentile of the same
 * @param outOfSequence      deliveries, during the whole run, whose sequence number was not the next one
 * @param undelivered        messages, summed over subscribers, not received when the run ended
 * @param reportedDrops      losses the system reported to the subscribers (frpc: {@code dropped()})
 */
record PubSubResult(String system, PubSubScenario scenario, int rep, double publishedPerSecond,
    double deliveredPerSecond, double p50Micros, double p99Micros, long outOfSequence, long undelivered,
    long reportedDrops) {

  static PubSubResult of(String system, PubSubScenario scenario, int rep, Interval interval, Histogram latencies,
      SubscriberGroup subscribers, long undelivered) {
    double seconds = interval.nanos() / 1e9;
    return new PubSubResult(system, scenario, rep, interval.published() / seconds, interval.received() / seconds,
        latencies.getValueAtPercentile(50) / 1e3, latencies.getValueAtPercentile(99) / 1e3,
        subscribers.outOfSequence(), undelivered, subscribers.reportedDrops());
  }

  /**
   * Counts over the measured interval.
   *
   * @param nanos     its length
   * @param published messages published in it
   * @param received  messages received in it, summed over subscribers
   */
  record Interval(long nanos, long published, long received) {
  }
}
