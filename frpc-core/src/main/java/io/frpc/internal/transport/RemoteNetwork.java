package io.frpc.internal.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The network a remote address belongs to, as the handshake limits count it: its /24 for IPv4, its /64 for
 * IPv6, the blocks one operator typically holds.
 *
 * @param prefix the network's leading bits
 * @param bits   24 or 64
 */
record RemoteNetwork(long prefix, int bits) {

  static RemoteNetwork of(InetAddress address) {
    byte[] bytes = address.getAddress();
    int bits = bytes.length == 4 ? 24 : 64;
    long prefix = 0;
    for (int i = 0; i < bits / 8; i++) {
      prefix = prefix << 8 | (bytes[i] & 0xFF);
    }
    return new RemoteNetwork(prefix, bits);
  }

  /** In CIDR notation, such as {@code 10.1.2.0/24}. */
  @Override
  public String toString() {
    byte[] bytes = new byte[bits == 24 ? 4 : 16];
    for (int i = 0; i < bits / 8; i++) {
      bytes[i] = (byte) (prefix >>> (bits - 8 * (i + 1)));
    }
    try {
      return InetAddress.getByAddress(bytes).getHostAddress() + "/" + bits;
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException("an address of " + Arrays.toString(bytes), impossible);
    }
  }
}
