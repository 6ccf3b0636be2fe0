package io.frpc.internal.transport;

import io.frpc.internal.UntrustedText;
import io.netty.handler.ssl.NotSslRecordException;
import javax.net.ssl.SSLException;

/** Tells TLS failures apart and says what they mean, for both sides of a connection. */
final class TlsFailures {

  private TlsFailures() {
  }

  /** The TLS failure in {@code cause}'s chain, or {@code null}. */
  static Throwable find(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return t;
      }
    }
    return null;
  }

  static String describe(String peer, Throwable failure) {
    if (failure instanceof NotSslRecordException) {
      return peer + " does not speak TLS while this side does (frpc.server.ssl.bundle / frpc.client.ssl.bundle "
          + "must be set on both sides or on neither)";
    }
    return "TLS handshake with " + peer + " failed: " + UntrustedText.escape(failure.getMessage())
        + " (an untrusted certificate, a certificate not naming the host, or a missing client certificate)";
  }
}
