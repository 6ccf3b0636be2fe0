package io.frpc.status;

/** Where the connection to a known node stands. */
public enum RemoteNodeState {
  /** The first connection attempt since the node was discovered is under way. */
  CONNECTING,
  /** Connected: calls are routed to it. */
  UP,
  /** It announced a graceful shutdown: no new calls go to it; pending ones finish. */
  DRAINING,
  /** Not connected (lost, shut down, or not reachable yet): reconnected with backoff. */
  DOWN
}
