package io.frpc.internal.protocol;

import io.frpc.NodeId;
import io.frpc.OverloadedException;
import io.frpc.RemoteCallException;
import io.frpc.RemoteErrorCode;

/**
 * Body of an error reply. The code travels as its number so a code added later reaches older nodes as
 * {@link RemoteErrorCode#UNKNOWN}, never as a decoding failure.
 *
 * @param code       {@link RemoteErrorCode#wireCode()} of what went wrong
 * @param type       class name of the exception thrown by the command, or {@code null}
 * @param message    human-readable description
 * @param stackTrace remote stack trace, or {@code null} unless the server includes them
 */
public record RemoteError(int code, String type, String message, String stackTrace) {

  /** An error of a known code. */
  public static RemoteError of(RemoteErrorCode code, String type, String message, String stackTrace) {
    return new RemoteError(code.wireCode(), type, message, stackTrace);
  }

  /** The code, {@link RemoteErrorCode#UNKNOWN} when this version does not know it. */
  public RemoteErrorCode errorCode() {
    return RemoteErrorCode.ofWireCode(code);
  }

  /** The exception a caller of {@code node} gets for this error. */
  public RemoteCallException toException(NodeId node) {
    RemoteErrorCode known = errorCode();
    String text = message != null ? message
        : known == RemoteErrorCode.UNKNOWN ? "error code " + code + " (from a newer frpc version)" : "";
    if (known == RemoteErrorCode.OVERLOADED) {
      return new OverloadedException(node, text);
    }
    return new RemoteCallException(node, known, type, text, stackTrace);
  }
}
