package io.frpc;

import io.frpc.internal.protocol.FrameType;
import io.frpc.internal.protocol.Handshake.Hello;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Queue;
import java.util.Set;

/**
 * Connections that start a handshake and never finish it, spread over the source addresses 127.0.0.2 and up
 * (Linux accepts all of 127/8): every second one sends nothing, the others only a HELLO asking to be
 * authenticated. What the node closes, {@link #reopen} opens again, as an attacker holding the flood would.
 */
final class HalfOpenFlood implements AutoCloseable {

  private final InetSocketAddress node;
  private final int addresses;
  private final Selector selector;
  private final Queue<Integer> closedByNode = new ArrayDeque<>();
  private final ByteBuffer sink = ByteBuffer.allocate(64 * 1024);

  private HalfOpenFlood(int port, int addresses) throws IOException {
    this.node = new InetSocketAddress("127.0.0.1", port);
    this.addresses = addresses;
    this.selector = Selector.open();
  }

  /** Opens {@code connections} to the node on loopback {@code port}, from {@code addresses} source addresses. */
  static HalfOpenFlood open(int port, int connections, int addresses) throws IOException {
    HalfOpenFlood flood = new HalfOpenFlood(port, addresses);
    for (int slot = 0; slot < connections; slot++) {
      flood.open(slot);
    }
    return flood;
  }

  /** Opens again up to {@code max} of the connections the node has closed. */
  synchronized void reopen(int max) {
    try {
      selector.selectNow();
      Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
      while (ready.hasNext()) {
        SelectionKey key = ready.next();
        ready.remove();
        if (closed((SocketChannel) key.channel())) {
          key.cancel();
          key.channel().close();
          closedByNode.add((Integer) key.attachment());
        }
      }
      for (int i = 0; i < max && !closedByNode.isEmpty(); i++) {
        open(closedByNode.remove());
      }
    } catch (IOException e) {
      throw new IllegalStateException("the flood cannot go on", e);
    }
  }

  private boolean closed(SocketChannel connection) {
    try {
      sink.clear();
      return connection.read(sink) < 0;
    } catch (IOException reset) {
      return true;
    }
  }

  private void open(int slot) throws IOException {
    SocketChannel connection = SocketChannel.open();
    connection.bind(new InetSocketAddress("127.0.0." + (2 + slot % addresses), 0));
    connection.connect(node);
    if (slot % 2 == 1) {
      connection.write(ByteBuffer.wrap(RawPeer.control(FrameType.HELLO, new Hello(FrameType.PROTOCOL_VERSION,
          "flood", slot, "boot-" + slot, 1 << 20, Set.of(), new byte[32], new byte[32]))));
    }
    connection.configureBlocking(false);
    connection.register(selector, SelectionKey.OP_READ, slot);
  }

  @Override
  public synchronized void close() throws IOException {
    for (SelectionKey key : selector.keys()) {
      key.channel().close();
    }
    selector.close();
  }
}
