package io.frpc.bench.pubsub;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What one subscriber received: the count, deliveries out of sequence (a loss, duplicate or reordering
 * shows here), the losses the system itself reported, and every message's publish-to-delivery latency.
 * Written by the subscriber's listener, which each system calls one message at a time; read by the
 * publishing thread.
 */
final class Subscriber {

  private final Recorder latencies = new Recorder(3);
  private long nextSequence; // listener only
  private volatile long received;
  private volatile long outOfSequence;
  private volatile long reportedDrops;

  /**
   * A message arrived.
   *
   * @param payload       a {@link StampedPayload}
   * @param reportedDrops messages the system says were lost just before this one (0 for a system that
   *                      does not report losses)
   */
  void receive(byte[] payload, long reportedDrops) {
    latencies.recordValue(Math.max(0, System.nanoTime() - StampedPayload.publishedNanos(payload)));
    long sequence = StampedPayload.sequence(payload);
    if (sequence != nextSequence) {
      outOfSequence++;
    }
    nextSequence = sequence + 1;
    if (reportedDrops != 0) {
      this.reportedDrops += reportedDrops;
    }
    received++;
  }

  long received() {
    return received;
  }

  long outOfSequence() {
    return outOfSequence;
  }

  long reportedDrops() {
    return reportedDrops;
  }

  /** The latencies recorded since the previous call (the first call: since creation). */
  Histogram latencies() {
    return latencies.getIntervalHistogram();
  }
}
