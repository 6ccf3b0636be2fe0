package io.frpc.internal.transport;

import io.frpc.internal.protocol.ProtocolException;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import org.slf4j.Logger;

/** Logs why a connection is being closed, once, naming the peer. */
final class ConnectionErrors {

  private ConnectionErrors() {
  }

  static void logClosing(Logger log, Object peer, Throwable cause) {
    Throwable reason = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (reason instanceof ProtocolException) {
      log.warn("Closing connection with {}: protocol violation: {}", peer, reason.getMessage());
    } else if (reason instanceof IOException) {
      log.info("Closing connection with {}: {}", peer, reason.toString());
    } else {
      log.warn("Closing connection with {}", peer, reason);
    }
  }
}
