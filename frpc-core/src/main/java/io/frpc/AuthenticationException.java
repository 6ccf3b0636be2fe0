package io.frpc;

/**
 * A node could not be authenticated: it does not know this node's shared secret
 * ({@code frpc.security.secret}), or it requires one this node does not have. Calls to it fail with this
 * instead of waiting; the reason never includes a secret.
 */
public class AuthenticationException extends FrpcException {

  private final NodeId node;

  public AuthenticationException(NodeId node, String reason) {
    super("authentication with " + node + " failed: " + reason);
    this.node = node;
  }

  /** The node that could not be authenticated. */
  public NodeId node() {
    return node;
  }
}
