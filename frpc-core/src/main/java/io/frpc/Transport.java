package io.frpc;

/**
 * What a node's connections travel on ({@link FrpcNode.Builder#transport(Transport)},
 * {@link FrpcNode#DEFAULT_TRANSPORT}). Both carry the same frames through the same pipeline: framing, handshake,
 * shared-secret authentication and frame protection, TLS, heartbeats, limits and graceful shutdown behave alike.
 */
public enum Transport {
  /** TCP sockets: the listener binds {@code frpc.server.host:frpc.server.port}. */
  TCP,
  /**
   * Netty's local channels, for tests of several nodes in one JVM: no port is opened, nothing leaves the
   * process. A node listens on an in-JVM address of its own name and id (a second running node of the same
   * name and id in the JVM fails to start); its {@link FrpcNode#listenAddress() listen address}, and the
   * address discovery reports for it, is host {@value #IN_JVM_HOST} with port 0. It connects only to nodes of
   * this transport (reported at host {@value #IN_JVM_HOST}, any port), finding them by the name and id
   * discovery reports. With {@link FrpcNode.Builder#clientTls client TLS} and hostname verification, a node's
   * certificate must name the host {@value #IN_JVM_HOST}.
   */
  IN_JVM;

  /** The host of every in-JVM node's address: {@value}. */
  public static final String IN_JVM_HOST = "in-jvm";
}
