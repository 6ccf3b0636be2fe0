package io.frpc.discovery.redis;

import io.frpc.internal.UntrustedText;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Reports keys that are not usable registrations: each key once (remembering the most recent 1,024), and at
 * most 10 lines a minute; the rest are counted and summed up in the next line. Keys are logged escaped (anyone
 * who can write to Redis chooses them). Used by one thread.
 */
final class JunkReport {

  private static final int REMEMBERED = 1024;
  private static final int LINES_PER_MINUTE = 10;

  private final Logger log;
  private final Map<String, Boolean> reported = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > REMEMBERED;
    }
  };
  /** When the current minute of lines began, on the watcher's clock; none before the first report. */
  private long windowStart = Long.MIN_VALUE;
  private int linesInWindow;
  private long heldBack;

  JunkReport(Logger log) {
    this.log = log;
  }

  /**
   * Reports {@code key}, unless reported recently; {@code problem} completes "it ..." and is safe to log.
   *
   * @param now the watcher's clock ({@link io.frpc.time.FrpcClock#nanoTime()})
   */
  void report(String key, String problem, long now) {
    if (reported.put(key, Boolean.TRUE) != null) {
      return;
    }
    if (windowStart == Long.MIN_VALUE || now - windowStart > TimeUnit.MINUTES.toNanos(1)) {
      windowStart = now;
      linesInWindow = 0;
    }
    if (linesInWindow < LINES_PER_MINUTE) {
      linesInWindow++;
      log.warn("Ignoring Redis key {}: it {}{}", UntrustedText.escape(key), UntrustedText.escape(problem), heldBack == 0 ? ""
          : " (" + heldBack + " more ignored key(s) were not logged; see DEBUG)");
      heldBack = 0;
    } else {
      heldBack++;
      log.debug("Ignoring Redis key {}: it {}", UntrustedText.escape(key), UntrustedText.escape(problem));
    }
  }
}
