package io.frpc.internal.transport;

import io.frpc.NodeId;
import io.frpc.Transport;
import io.netty.channel.local.LocalAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** The addresses of the in-JVM transport ({@link Transport#IN_JVM}). */
final class InJvmAddresses {

  /** What an in-JVM node reports as its listen address: host {@value Transport#IN_JVM_HOST}, no port. */
  static final InetSocketAddress LISTEN = InetSocketAddress.createUnresolved(Transport.IN_JVM_HOST, 0);

  /**
   * Where every in-JVM connection comes from, for the limits per address and network: loopback, as TCP
   * connections between nodes on one machine would.
   */
  static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  private InJvmAddresses() {
  }

  /**
   * The local address node {@code node} listens on. Netty lower-cases local addresses while node names are
   * case-sensitive, so an upper-case letter is written as {@code ^} and the letter ({@code ^} is not allowed in
   * names): {@code Game:1} and {@code game:1} get different addresses.
   */
  static LocalAddress of(NodeId node) {
    StringBuilder id = new StringBuilder("frpc:");
    for (int i = 0; i < node.name().length(); i++) {
      char c = node.name().charAt(i);
      if (Character.isUpperCase(c)) {
        id.append('^').append(Character.toLowerCase(c));
      } else {
        id.append(c);
      }
    }
    return new LocalAddress(id.append(':').append(node.id()).toString());
  }
}
