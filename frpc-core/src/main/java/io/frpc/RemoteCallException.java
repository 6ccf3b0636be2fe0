package io.frpc;

/**
 * The remote node answered with an error: an unknown module, instance or command, arguments that did
 * not bind, or an exception thrown by the command.
 */
public class RemoteCallException extends FrpcException {

  private final NodeId node;
  private final RemoteErrorCode code;
  private final String remoteType;
  private final String remoteMessage;
  private final String remoteStackTrace;

  public RemoteCallException(NodeId node, RemoteErrorCode code, String remoteType, String remoteMessage,
      String remoteStackTrace) {
    super(node + " answered " + code + (remoteType == null ? "" : " " + remoteType) + ": " + remoteMessage
        + (remoteStackTrace == null ? "" : "\nremote stack trace:\n" + remoteStackTrace));
    this.node = node;
    this.code = code;
    this.remoteType = remoteType;
    this.remoteMessage = remoteMessage;
    this.remoteStackTrace = remoteStackTrace;
  }

  /** The node that answered. */
  public NodeId node() {
    return node;
  }

  /** What kind of error it was. */
  public RemoteErrorCode code() {
    return code;
  }

  /** Class name of the exception thrown remotely, or {@code null} for errors frpc itself raised. */
  public String remoteType() {
    return remoteType;
  }

  /** The remote error message. */
  public String remoteMessage() {
    return remoteMessage;
  }

  /** The remote stack trace, present only when the server sets {@code frpc.server.include-stacktrace}. */
  public String remoteStackTrace() {
    return remoteStackTrace;
  }
}
