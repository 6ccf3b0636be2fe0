package io.frpc.internal.transport;

import io.frpc.internal.protocol.PubSubFrames;

/**
 * The pub/sub channels this node publishes, as a served connection sees them: the connection opens one
 * session when the peer announced pub/sub in its handshake, and feeds it the peer's subscriptions.
 */
public interface ServedChannels {

  /** Opens the subscriptions of one newly admitted connection. */
  Session open(ServedConnection connection);

  /** The subscriptions of one connection; every method is called on the connection's I/O thread. */
  interface Session {

    /** A SUBSCRIBE arrived. */
    void subscribe(PubSubFrames.Subscribe request);

    /** An UNSUBSCRIBE arrived. */
    void unsubscribe(int subscriptionId);

    /** The connection drained below its low-water mark. */
    void writable();

    /** The connection closed. */
    void closed();
  }
}
