package io.frpc;

/** Why a node stopped being usable. */
public enum NodeDownReason {
  /** The TCP connection closed or a heartbeat found the peer dead. */
  CONNECTION_LOST,
  /** The node removed its registration: it is shutting down gracefully. */
  DEREGISTERED,
  /** The node's registration expired: it stopped refreshing it (hung, frozen or cut off). */
  EXPIRED,
  /** The node was replaced by a new process (its boot id changed); a new connection follows. */
  RESTARTED,
  /**
   * The node announced its graceful shutdown (calls go to other nodes of the name from now on, and its
   * pending calls complete), or this node is shutting down and closed its connections.
   */
  SHUTDOWN
}
