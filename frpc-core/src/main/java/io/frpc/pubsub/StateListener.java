package io.frpc.pubsub;

/**
 * Receives the versions of watched state channels: the current value at once, then later versions
 * (latest wins: a slow listener skips intermediate versions, never the latest). One at a time, never on
 * an I/O thread.
 *
 * @param <T> the value type
 */
@FunctionalInterface
public interface StateListener<T> extends SubscriptionListener {

  /** A (newer) value of a watched channel. */
  void onState(StateUpdate<T> update);
}
