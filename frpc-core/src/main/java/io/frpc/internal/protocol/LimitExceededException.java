package io.frpc.internal.protocol;

/** A peer reached one of the node's resource limits; the connection it came from is closed. */
public class LimitExceededException extends RuntimeException {

  public LimitExceededException(String message) {
    super(message);
  }
}
