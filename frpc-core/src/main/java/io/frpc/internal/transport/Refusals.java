package io.frpc.internal.transport;

import io.frpc.internal.RateLimitedLog;
import io.frpc.observability.FrpcObserver;
import io.frpc.time.FrpcClock;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * Where the listener reports a connection it refused, or lost before the handshake completed: the observer's
 * count by reason, and at most one WARN line a minute (a peer provokes these at will).
 */
final class Refusals {

  private final Logger log;
  private final RateLimitedLog refusals;
  private final RateLimitedLog secretMismatches;
  private final FrpcObserver observer;

  Refusals(Logger log, FrpcObserver observer, FrpcClock clock) {
    this.log = log;
    this.refusals = new RateLimitedLog(log, Duration.ofMinutes(1), clock);
    // a log line of its own, so that a flood of other refusals cannot hide a misconfigured secret
    this.secretMismatches = new RateLimitedLog(log, Duration.ofMinutes(1), clock);
    this.observer = observer;
  }

  /**
   * @param reason the limit's property name, or {@code handshake} / {@code tls} / {@code handshake-timeout}
   * @param line   the log line
   */
  void refused(String reason, String line) {
    observer.connectionRefused(reason);
    refusals.log(line);
  }

  /**
   * The peer closed the connection before completing the handshake: counted, and logged at DEBUG only, as
   * port scans and TCP health checks do it all the time.
   */
  void closedDuringHandshake(String line) {
    observer.connectionRefused("closed-during-handshake");
    log.debug(line);
  }

  /** The peer closed the connection when challenged to prove the shared secret: it most likely lacks it. */
  void secretMismatch(String line) {
    observer.connectionRefused("frpc.security.secret");
    secretMismatches.log(line);
  }

  /** Logs the lines held back since the last. */
  void summarize() {
    refusals.summarize();
    secretMismatches.summarize();
  }
}
