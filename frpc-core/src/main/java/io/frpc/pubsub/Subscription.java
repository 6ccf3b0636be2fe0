package io.frpc.pubsub;

import io.frpc.NodeId;
import java.util.Set;

/** A live subscription; {@link #close()} ends it on every node. */
public interface Subscription extends AutoCloseable {

  /** The channel name or pattern subscribed to. */
  String channel();

  /** Nodes the subscription is established on now. */
  Set<NodeId> nodes();

  /** Messages lost for this subscription so far (publisher and subscriber side together). */
  long dropped();

  /** Whether {@link #close()} was called. */
  boolean isClosed();

  /** Unsubscribes on every node; nothing is delivered after it returns, except a delivery already running. */
  @Override
  void close();
}
