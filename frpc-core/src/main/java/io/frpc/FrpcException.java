package io.frpc;

/** Base of every exception frpc raises for a call or a send. */
public class FrpcException extends RuntimeException {

  public FrpcException(String message) {
    super(message);
  }

  public FrpcException(String message, Throwable cause) {
    super(message, cause);
  }
}
