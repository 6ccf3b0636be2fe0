package io.frpc;

/**
 * A call made while serving a call that its own caller has cancelled (see {@link FrpcCall#isCancelled()}): it
 * fails at once, or, already under way, is cancelled with it; its callee is told.
 */
public class CallCancelledException extends FrpcException {

  public CallCancelledException(String message) {
    super(message);
  }
}
