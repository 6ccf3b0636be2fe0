package io.frpc.discovery.redis;

import io.frpc.internal.protocol.FrameType;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.dataformat.smile.SmileMapper;

/**
 * A stand-in frpc node on a raw socket that can be frozen: it admits one caller, answers its heartbeats
 * and, once frozen, answers nothing more while keeping the connection open — like a process under SIGSTOP.
 */
final class FakeNode implements AutoCloseable {

  private final ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
  private final String name;
  private final int id;
  private final String bootId;
  private volatile boolean frozen;
  private final AtomicInteger requests = new AtomicInteger();

  FakeNode(String name, int id, String bootId) throws IOException {
    this.name = name;
    this.id = id;
    this.bootId = bootId;
    Thread thread = new Thread(this::serve, "fake-node-" + name + ":" + id);
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** REQUEST frames received. */
  int requests() {
    return requests.get();
  }

  void freeze() {
    frozen = true;
  }

  private void serve() {
    SmileMapper smile = SmileMapper.builder().build();
    try (Socket socket = listener.accept()) {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      readFrame(in);
      write(out, FrameType.HELLO_ACK, smile.writeValueAsBytes(Map.of("protocolVersion", FrameType.PROTOCOL_VERSION,
          "name", name, "id", id, "bootId", bootId, "maxMessageSize", 1 << 20)));
      while (true) {
        byte[] frame = readFrame(in);
        if (frame[0] == FrameType.REQUEST) {
          requests.incrementAndGet();
        }
        if (frame[0] == FrameType.PING && !frozen) {
          frame[0] = FrameType.PONG;
          write(out, frame[0], Arrays.copyOfRange(frame, 1, frame.length));
        }
      }
    } catch (IOException e) {
      // closed
    }
  }

  private static byte[] readFrame(DataInputStream in) throws IOException {
    byte[] frame = new byte[in.readInt()];
    in.readFully(frame);
    return frame;
  }

  private static void write(DataOutputStream out, byte type, byte[] body) throws IOException {
    out.writeInt(body.length + 1);
    out.writeByte(type);
    out.write(body);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
