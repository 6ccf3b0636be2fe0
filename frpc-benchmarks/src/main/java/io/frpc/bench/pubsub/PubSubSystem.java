package io.frpc.bench.pubsub;

/** A pub/sub implementation under test: one publisher and a number of subscribers on one channel. */
interface PubSubSystem {

  /** The channel every run publishes on. */
  String CHANNEL = "bench:ch";

  /** The name in progress lines and the report, e.g. {@code frpc}. */
  String name();

  /**
   * Connects one publisher and one subscriber connection per member of {@code subscribers}, each delivering
   * to its member; returns once the publisher side counts every subscription.
   */
  Publisher connect(SubscriberGroup subscribers);

  /** The publishing side of a connected run; closing it disconnects the publisher and the subscribers. */
  interface Publisher extends AutoCloseable {

    /** Publishes {@code payload} on {@link #CHANNEL} without waiting for anything. */
    void publish(byte[] payload);

    @Override
    void close();
  }
}
