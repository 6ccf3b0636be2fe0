package io.frpc.internal.transport;

import io.frpc.internal.UntrustedText;
import io.frpc.internal.protocol.LimitExceededException;
import io.frpc.internal.protocol.ProtocolException;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import org.slf4j.Logger;

/**
 * Logs why a connection is being closed, in one line naming the peer: what a peer sends must not be able
 * to fill the log with stack traces. Stack traces are at DEBUG, except for JVM errors.
 */
final class ConnectionErrors {

  private ConnectionErrors() {
  }

  static void logClosing(Logger log, Object peer, Throwable cause) {
    Throwable reason = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (reason instanceof ProtocolException) {
      log.warn("Closing connection with {}: protocol violation: {}", peer,
          UntrustedText.escape(reason.getMessage()));
    } else if (reason instanceof LimitExceededException) {
      log.warn("Closing connection with {}: limit reached: {}", peer, reason.getMessage());
    } else if (reason instanceof IOException) {
      log.info("Closing connection with {}: {}", peer, reason.toString());
    } else if (reason instanceof Error) {
      log.error("Closing connection with {}", peer, reason);
    } else {
      log.warn("Closing connection with {}: {}", peer, UntrustedText.escape(reason.toString()));
      log.debug("Stack trace of the failure on the connection with {}", peer, reason);
    }
  }
}
