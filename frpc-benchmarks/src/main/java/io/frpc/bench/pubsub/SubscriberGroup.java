package io.frpc.bench.pubsub;

import java.util.List;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;

/** The subscribers of one run, and their counts taken together. */
final class SubscriberGroup {

  private final List<Subscriber> members;

  SubscriberGroup(int size) {
    this.members = IntStream.range(0, size).mapToObj(i -> new Subscriber()).toList();
  }

  List<Subscriber> members() {
    return members;
  }

  /** Messages received by the subscriber that received the fewest. */
  long slowest() {
    long slowest = Long.MAX_VALUE;
    for (Subscriber subscriber : members) {
      slowest = Math.min(slowest, subscriber.received());
    }
    return slowest;
  }

  /** Messages received, summed over the subscribers. */
  long received() {
    return members.stream().mapToLong(Subscriber::received).sum();
  }

  long outOfSequence() {
    return members.stream().mapToLong(Subscriber::outOfSequence).sum();
  }

  long reportedDrops() {
    return members.stream().mapToLong(Subscriber::reportedDrops).sum();
  }

  /** Every subscriber's latencies since the previous call, in one histogram. */
  Histogram latencies() {
    Histogram all = new Histogram(3);
    members.forEach(subscriber -> all.add(subscriber.latencies()));
    return all;
  }

  /** Per subscriber, messages received, for a failure message. */
  String describe() {
    return members.stream().map(subscriber -> String.valueOf(subscriber.received())).toList().toString();
  }
}
