package io.frpc.internal.protocol;

/** The peer broke the wire protocol; the connection it came from is closed. */
public class ProtocolException extends RuntimeException {

  public ProtocolException(String message) {
    super(message);
  }
}
