package io.frpc.pubsub;

/**
 * Receives the messages of a subscription, one at a time and, per publishing node and channel, in
 * publish order; never on an I/O thread. A slow listener delays only its own subscription, whose
 * backlog is bounded ({@code frpc.pubsub.subscriber-backlog}).
 *
 * @param <T> the payload type
 */
@FunctionalInterface
public interface MessageListener<T> extends SubscriptionListener {

  /** A message arrived. */
  void onMessage(ChannelMessage<T> message);
}
