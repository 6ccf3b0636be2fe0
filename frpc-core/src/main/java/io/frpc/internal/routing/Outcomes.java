package io.frpc.internal.routing;

import io.frpc.AuthenticationException;
import io.frpc.CallCancelledException;
import io.frpc.CallTimeoutException;
import io.frpc.ConnectionLostException;
import io.frpc.MessageTooLargeException;
import io.frpc.NoNodeConnectedException;
import io.frpc.RemoteCallException;
import io.frpc.ReplyBindingException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/** The outcome tag of a call or send for {@link io.frpc.observability.FrpcObserver}. */
final class Outcomes {

  static final String SUCCESS = "SUCCESS";

  private Outcomes() {
  }

  static String of(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
        : failure;
    if (cause == null) {
      return SUCCESS;
    }
    if (cause instanceof RemoteCallException remote) {
      return remote.code().name();
    }
    if (cause instanceof CancellationException || cause instanceof CallCancelledException) {
      return "CANCELLED";
    }
    if (cause instanceof CallTimeoutException) {
      return "TIMEOUT";
    }
    if (cause instanceof ConnectionLostException) {
      return "CONNECTION_LOST";
    }
    if (cause instanceof NoNodeConnectedException) {
      return "NO_NODE";
    }
    if (cause instanceof ReplyBindingException) {
      return "BAD_REPLY";
    }
    if (cause instanceof AuthenticationException) {
      return "AUTHENTICATION";
    }
    if (cause instanceof MessageTooLargeException) {
      return "TOO_LARGE";
    }
    return "ERROR";
  }
}
