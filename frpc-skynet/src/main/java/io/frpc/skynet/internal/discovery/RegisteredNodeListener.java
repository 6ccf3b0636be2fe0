package io.frpc.skynet.internal.discovery;

/**
 * Told by {@link SkynetNodeWatcher} when skynet_fly nodes appear in Redis, change and disappear. Calls come one at
 * a time, on the watcher's thread, in the order the changes were seen; they must not block.
 */
public interface RegisteredNodeListener {

  /**
   * A node registered, or registered again with another address or security (then {@link #nodeDown} of its old
   * registration came first).
   */
  void nodeUp(SkynetNode node);

  /** A node's registration expired or was deleted: connections to it should end. */
  void nodeDown(SkynetNode node);
}
