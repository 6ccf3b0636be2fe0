package io.frpc.skynet.internal.handshake;

/**
 * A skynet_fly frpc handshake failed: the peer refused our secret key, answered out of turn, sent something the
 * handshake does not allow, took longer than the timeout, or closed the connection. The message says which and,
 * where the cause is usually a configuration that differs between the two ends, what to check. The handshake
 * handler that raises it fires it down the pipeline ({@code exceptionCaught}) and closes the connection.
 */
public class SkynetHandshakeException extends RuntimeException {

  /** An exception whose message says what went wrong. */
  public SkynetHandshakeException(String message) {
    super(message);
  }

  /** An exception whose message says what went wrong, and what caused it. */
  public SkynetHandshakeException(String message, Throwable cause) {
    super(message, cause);
  }
}
