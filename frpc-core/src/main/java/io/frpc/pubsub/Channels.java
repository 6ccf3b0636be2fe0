package io.frpc.pubsub;

import io.frpc.UnknownNodeNameException;
import tools.jackson.core.type.TypeReference;

/**
 * Subscriptions to the channels of the nodes of one name, from {@link io.frpc.FrpcTemplate#channels(String)}:
 * every node of the name, now and as nodes come up, or one node with {@link #node(int)}. A subscription
 * is kept across reconnects. When the node is connected, its SUBSCRIBE is written before the method
 * returns, so a call made afterwards on the same node is processed after the subscription.
 * Immutable and thread-safe.
 */
public interface Channels {

  /** The same subscriptions, on node {@code id} of the name only. */
  Channels node(int id);

  /**
   * Subscribes to messages on {@code channel}, a channel name or a pattern.
   *
   * @throws IllegalArgumentException when {@code channel} is not a valid name or pattern
   * @throws UnknownNodeNameException when discovery can never report a node of this name
   */
  <T> Subscription subscribe(String channel, Class<T> payloadType, MessageListener<T> listener);

  /** Like {@link #subscribe(String, Class, MessageListener)} for generic payload types. */
  <T> Subscription subscribe(String channel, TypeReference<T> payloadType, MessageListener<T> listener);

  /**
   * Watches state channel {@code channel}, or every state channel matching a pattern: delivers the current
   * value(s) at once and every later version.
   *
   * @throws IllegalArgumentException when {@code channel} is not a valid name or pattern
   * @throws UnknownNodeNameException when discovery can never report a node of this name
   */
  <T> Subscription watchState(String channel, Class<T> valueType, StateListener<T> listener);

  /** Like {@link #watchState(String, Class, StateListener)} for generic value types. */
  <T> Subscription watchState(String channel, TypeReference<T> valueType, StateListener<T> listener);
}
