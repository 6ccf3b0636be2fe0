package io.frpc.internal.pubsub;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One subscription a remote node holds on this node.
 *
 * @param session  the connection it was made on
 * @param id       the id the subscriber chose
 * @param state    whether it watches state rather than messages
 * @param channel  the channel name or pattern
 * @param pattern  whether {@code channel} has a {@code *} segment
 * @param segments the number of segments of {@code channel}
 * @param dropped  messages dropped for it since the last one sent
 */
record RemoteSubscription(SubscriberSession session, int id, boolean state, String channel, boolean pattern,
    int segments, AtomicInteger dropped) {

  // Identity semantics: two subscriptions are equal only when they are the same subscription.
  @Override
  public boolean equals(Object other) {
    return this == other;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }
}
