package io.frpc.internal.transport;

import io.frpc.internal.RateLimitedLog;
import io.frpc.internal.UntrustedText;
import io.frpc.internal.protocol.LimitExceededException;
import io.frpc.internal.protocol.ProtocolException;
import io.frpc.time.FrpcClock;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Logs why a connection is being closed, in one line naming the peer: what a peer sends must not be able
 * to fill the log, so each kind of reason (protocol violation, limit, I/O error, other) logs at most one line
 * a minute, with the count of the lines held back; {@link #summarize()} reports what is still held back.
 * Stack traces are at DEBUG, except for JVM errors. One per node and side (listener, outgoing connections).
 */
final class ConnectionErrors {

  private static final Duration INTERVAL = Duration.ofMinutes(1);

  private final Logger log;
  private final RateLimitedLog violations;
  private final RateLimitedLog limits;
  private final RateLimitedLog broken;
  private final RateLimitedLog others;

  ConnectionErrors(Logger log, FrpcClock clock) {
    this.log = log;
    this.violations = new RateLimitedLog(log, INTERVAL, clock);
    this.limits = new RateLimitedLog(log, INTERVAL, clock);
    this.broken = new RateLimitedLog(log, Level.INFO, INTERVAL, clock);
    this.others = new RateLimitedLog(log, INTERVAL, clock);
  }

  void logClosing(Object peer, Throwable cause) {
    Throwable reason = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (reason instanceof ProtocolException) {
      violations.log("Closing connection with " + peer + ": protocol violation: " + UntrustedText.escape(reason.getMessage()));
    } else if (reason instanceof LimitExceededException) {
      limits.log("Closing connection with " + peer + ": limit reached: " + reason.getMessage());
    } else if (reason instanceof IOException) {
      broken.log("Closing connection with " + peer + ": " + UntrustedText.escape(reason.toString()));
    } else if (reason instanceof Error) {
      log.error("Closing connection with {}", peer, reason);
    } else {
      others.log("Closing connection with " + peer + ": " + UntrustedText.escape(reason.toString()));
      log.debug("Stack trace of the failure on the connection with {}", peer, reason);
    }
  }

  /** Logs the lines held back since the last of each kind. */
  void summarize() {
    for (RateLimitedLog kind : List.of(violations, limits, broken, others)) {
      kind.summarize();
    }
  }
}
