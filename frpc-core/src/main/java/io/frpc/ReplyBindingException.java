package io.frpc;

import java.lang.reflect.Type;

/**
 * The remote command succeeded, but its result does not bind to the result type the caller asked for
 * (for example {@code call("ping", Integer.class)} on a command returning a {@code String}). The command
 * has run; only the caller's view of the result failed.
 */
public class ReplyBindingException extends FrpcException {

  private final NodeId node;
  private final transient Type resultType;

  public ReplyBindingException(NodeId node, Type resultType, String detail, Throwable cause) {
    super("reply from " + node + " does not bind to " + resultType.getTypeName() + ": " + detail, cause);
    this.node = node;
    this.resultType = resultType;
  }

  /** The node that answered. */
  public NodeId node() {
    return node;
  }

  /** The result type the caller asked for. */
  public Type resultType() {
    return resultType;
  }
}
