package io.frpc.discovery.redis;

/**
 * Why the watcher looks at a registration key: a keyspace notification, a listing, or one of its own deadlines.
 * An event is a hint, not a fact: the watcher reads what the key holds, and the event decides only what a
 * vanished or unusable value means.
 */
enum KeyEvent {

  /** A notification other than those below ({@code set}, a rename, an eviction): the key changed. */
  CHANGED,
  /** Notification {@code expire}: a registrar renewed the TTL. Nothing to read; the key's deadline moves. */
  REFRESHED,
  /** Notification {@code del}: someone deleted the key; a node that leaves for it is {@code DEREGISTERED}. */
  DELETED,
  /** Notification {@code expired}: Redis expired the key. */
  EXPIRED,
  /** A listing (SCAN) found the key. */
  LISTED,
  /** The key's deadline passed without a refresh, or a contested identity is due for another look. */
  OVERDUE,
  /** A grace (TTL and a refresh) passed since the key was found missing while its node was kept. */
  MISSING;

  /** The event of a keyspace notification, e.g. {@code set} or {@code del}. */
  static KeyEvent ofNotification(String event) {
    return switch (event) {
      case "expire" -> REFRESHED;
      case "del" -> DELETED;
      case "expired" -> EXPIRED;
      default -> CHANGED;
    };
  }

  /** Whether the key's time ran out: an unusable value then counts like a vanished one. */
  boolean timedOut() {
    return this == EXPIRED || this == OVERDUE || this == MISSING;
  }
}
