package io.frpc.internal.transport;

import io.frpc.internal.RateLimitedLog;
import io.frpc.status.FrpcObserver;

/** Where the listener reports a refused connection: one rate-limited WARN line, and the observer's count. */
final class Refusals {

  private final RateLimitedLog log;
  private final FrpcObserver observer;

  Refusals(RateLimitedLog log, FrpcObserver observer) {
    this.log = log;
    this.observer = observer;
  }

  /**
   * @param reason the limit's property name, or {@code handshake} / {@code tls} / {@code handshake-timeout}
   * @param line   the log line
   */
  void refused(String reason, String line) {
    observer.connectionRefused(reason);
    log.warn(line);
  }
}
