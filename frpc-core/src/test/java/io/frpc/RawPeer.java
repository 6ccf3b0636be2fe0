package io.frpc;

import io.frpc.internal.protocol.FrameType;
import io.frpc.internal.protocol.Frames;
import io.frpc.internal.protocol.Handshake.Hello;
import io.frpc.internal.protocol.PayloadCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Set;

/** A hand-driven TCP peer of an frpc node, for tests of what hostile or broken peers can do. */
final class RawPeer implements AutoCloseable {

  private static final PayloadCodec CODEC = new PayloadCodec();

  final Socket socket;

  private RawPeer(Socket socket) {
    this.socket = socket;
  }

  /** Connects without a handshake. */
  static RawPeer connect(int port) throws IOException {
    return connect(port, 0);
  }

  /**
   * Connects from loopback address {@code 127.0.0.<source>}: a listener accepts at most 100 new connections a
   * second from one address, so tests that connect more often spread their connections.
   */
  static RawPeer connectFrom(int source, int port) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress("127.0.0." + source, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    socket.setSoTimeout(10_000);
    return new RawPeer(socket);
  }

  /** Connects from {@code 127.0.0.<source>} and completes the handshake as node {@code raw:id}. */
  static RawPeer handshakenFrom(int source, int port, int id) throws IOException {
    RawPeer peer = connectFrom(source, port);
    peer.send(control(FrameType.HELLO, new Hello(FrameType.PROTOCOL_VERSION, "raw", id, "boot-" + id, 1 << 20,
        Set.of())));
    byte[] ack = peer.readFrame();
    if (ack[0] != FrameType.HELLO_ACK) {
      peer.close();
      throw new IOException("expected HELLO_ACK but got frame type " + ack[0]);
    }
    return peer;
  }

  /** Connects with a small receive buffer (0: the default), so that not reading soon blocks the sender. */
  static RawPeer connect(int port, int receiveBuffer) throws IOException {
    Socket socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    socket.setSoTimeout(10_000);
    return new RawPeer(socket);
  }

  /** Connects without a handshake from local address {@code source} (Linux accepts any of 127/8). */
  static RawPeer connectFrom(String source, int port) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(source, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    socket.setSoTimeout(10_000);
    return new RawPeer(socket);
  }

  /** Sends a HELLO as node {@code raw:id}; whether the node answered HELLO_ACK rather than closing. */
  boolean admittedAs(int id) throws IOException {
    try {
      send(control(FrameType.HELLO, new Hello(FrameType.PROTOCOL_VERSION, "raw", id, "boot-" + id, 1 << 20,
          Set.of())));
      return readFrame()[0] == FrameType.HELLO_ACK;
    } catch (EOFException | SocketException closedByNode) {
      return false;
    }
  }

  /** Connects and completes the handshake as node {@code raw:id}. */
  static RawPeer handshaken(int port, int id, int receiveBuffer) throws IOException {
    return handshaken(port, id, receiveBuffer, Set.of());
  }

  /** Connects and completes the handshake as node {@code raw:id}, announcing {@code features}. */
  static RawPeer handshaken(int port, int id, int receiveBuffer, Set<String> features) throws IOException {
    RawPeer peer = connect(port, receiveBuffer);
    peer.send(control(FrameType.HELLO, new Hello(FrameType.PROTOCOL_VERSION, "raw", id, "boot-" + id, 1 << 20,
        features)));
    byte[] ack = peer.readFrame();
    if (ack[0] != FrameType.HELLO_ACK) {
      throw new IOException("expected HELLO_ACK but got frame type " + ack[0]);
    }
    return peer;
  }

  void send(byte[] bytes) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(bytes);
    out.flush();
  }

  /** The next frame's type and body. */
  byte[] readFrame() throws IOException {
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] frame = new byte[in.readInt()];
    in.readFully(frame);
    return frame;
  }

  /** Whether the node closed the connection (reads until end of stream, at most the socket timeout). */
  boolean closedByNode() throws IOException {
    InputStream in = socket.getInputStream();
    byte[] sink = new byte[64 * 1024];
    try {
      while (in.read(sink) != -1) {
        // drain whatever the node wrote before closing
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true;
    }
  }

  static byte[] control(byte type, Object body) {
    return bytes(Frames.control(UnpooledByteBufAllocator.DEFAULT, type, CODEC, body));
  }

  /** A FRAGMENT frame. */
  static byte[] fragment(boolean first, boolean last, int total, byte[] data) {
    ByteBuffer frame = ByteBuffer.allocate(4 + 2 + (first ? 4 : 0) + data.length);
    frame.putInt(2 + (first ? 4 : 0) + data.length).put(FrameType.FRAGMENT).put((byte) ((first ? 1 : 0) | (last ? 2 : 0)));
    if (first) {
      frame.putInt(total);
    }
    return frame.put(data).array();
  }

  static byte[] bytes(ByteBuf frame) {
    try {
      return ByteBufUtil.getBytes(frame);
    } finally {
      frame.release();
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
