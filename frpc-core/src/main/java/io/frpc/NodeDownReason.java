package io.frpc;

/** Why a node stopped being usable. */
public enum NodeDownReason {
  /** The TCP connection closed or a heartbeat found the peer dead. */
  CONNECTION_LOST,
  /** This node is shutting down and closed its connections. */
  SHUTDOWN
}
