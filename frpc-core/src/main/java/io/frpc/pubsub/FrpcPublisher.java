package io.frpc.pubsub;

import io.frpc.MessageTooLargeException;

/**
 * The publishing side of this node: what it publishes reaches the nodes subscribed to it over their
 * connections to this node's listener (a node that does not serve has no subscribers). Never blocks:
 * a subscriber whose connection has {@code frpc.pubsub.max-queued-bytes} waiting to be written misses
 * messages (it sees the gap in {@link ChannelMessage#dropped()}), and state watchers always converge to
 * the latest value.
 * Thread-safe; messages published by one thread reach each subscriber in that order.
 */
public interface FrpcPublisher {

  /**
   * Publishes {@code payload} on {@code channel} to every subscriber of it or of a pattern matching it.
   * The payload is encoded once, with Jackson Smile, whatever the number of subscribers.
   *
   * @return the number of subscribed connections it was sent to (0 when nobody listens); a connection
   *         that has {@code frpc.pubsub.max-queued-bytes} waiting misses it and is not counted
   * @throws IllegalArgumentException  when {@code channel} is not a valid channel name
   * @throws MessageTooLargeException  when the encoded payload exceeds {@code frpc.max-message-size}
   */
  int publish(String channel, Object payload);

  /**
   * Sets the value of state channel {@code channel}: it is kept with a new version (1 for the first
   * value, then increasing by one) and sent to every watcher of the channel or of a matching pattern;
   * watchers that come later receive the latest value at once.
   *
   * @return the version of this value
   * @throws IllegalArgumentException when {@code channel} is not a valid channel name
   * @throws MessageTooLargeException when the encoded value exceeds {@code frpc.max-message-size}
   */
  long publishState(String channel, Object value);

  /** Whether any node subscribed to messages of {@code channel}, directly or through a pattern. */
  boolean hasSubscribers(String channel);

  /**
   * Subscribed connections a {@link #publish} on {@code channel} would reach now; state watchers are not
   * counted here (see {@link #stateWatcherCount}).
   */
  int subscriberCount(String channel);

  /** Connections watching the state of {@code channel} now, directly or through a pattern. */
  int stateWatcherCount(String channel);

  /**
   * Messages not sent to a subscriber since start, because its connection was not keeping up or the
   * message exceeded its {@code frpc.max-message-size}; each subscriber learns of its own gaps.
   */
  long droppedMessages();
}
