package io.frpc.skynet.internal.client;

import io.frpc.time.FrpcClock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The push sessions one watch connection saw within a window (a minute, as skynet_fly's {@code watch_client} keeps
 * them): a push whose session was seen is a duplicate and dropped. Kept per connection, not per node as skynet_fly
 * does, because a restarted node counts its sessions from 1 again: per node, its first minute of pushes would be
 * dropped as duplicates of the previous process's. Holds at most {@code maxSessions}; older ones are forgotten first.
 * Used on one event loop only.
 */
final class PushSessions {

  /** skynet_fly's window: {@code tti:new(timer.minute)}. */
  static final long WINDOW_NANOS = 60_000_000_000L;
  static final int MAX_SESSIONS = 65_536;

  private final FrpcClock clock;
  private final long windowNanos;
  private final int maxSessions;
  /** Sessions to when they were seen, oldest first. */
  private final LinkedHashMap<Long, Long> seen = new LinkedHashMap<>();

  PushSessions(FrpcClock clock, long windowNanos, int maxSessions) {
    this.clock = clock;
    this.windowNanos = windowNanos;
    this.maxSessions = maxSessions;
  }

  /** Whether {@code session} was not seen within the window; records it. */
  boolean firstSeen(long session) {
    long now = clock.nanoTime();
    for (Iterator<Map.Entry<Long, Long>> it = seen.entrySet().iterator(); it.hasNext(); ) {
      if (now - it.next().getValue() < windowNanos) {
        break;
      }
      it.remove();
    }
    if (seen.containsKey(session)) {
      return false;
    }
    if (seen.size() >= maxSessions) {
      Iterator<Long> oldest = seen.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    seen.put(session, now);
    return true;
  }
}
