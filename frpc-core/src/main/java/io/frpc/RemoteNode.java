package io.frpc;

/**
 * A remote node as this node sees it once its connection is established and its handshake succeeded.
 *
 * @param id     the node's identity, as confirmed by its handshake
 * @param host   the host this node connected to
 * @param port   the port this node connected to
 * @param bootId the identifier the node chose at process start; it changes with every restart
 */
public record RemoteNode(NodeId id, String host, int port, String bootId) {

  /** Returns {@code host:port}. */
  public String address() {
    return host + ":" + port;
  }
}
