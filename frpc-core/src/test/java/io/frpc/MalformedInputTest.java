package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.frpc.internal.protocol.FrameType;
import io.frpc.internal.protocol.Frames;
import io.frpc.internal.protocol.Handshake.Hello;
import io.frpc.internal.protocol.InstanceSelection;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.internal.protocol.RequestEnvelope;
import io.frpc.internal.transport.TransportSettings;
import io.frpc.testing.CapturedLogs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A malformed, oversized, unknown or premature frame closes only the connection it came from, with a
 * log line naming the peer and the reason; the node keeps serving everyone else.
 */
class MalformedInputTest {

  /** Handler of module "svc". */
  public static final class Service {
    public int add(int a, int b) {
      return a + b;
    }
  }

  private final PayloadCodec codec = new PayloadCodec();
  private CapturedLogs logs;
  private TestNode server;
  private TestNode caller;

  @BeforeEach
  void start() {
    TransportSettings settings = new TransportSettings(1024 * 1024, 64 * 1024, Duration.ofSeconds(5),
        Duration.ofSeconds(15), Duration.ofMillis(500));
    server = TestNode.builder("game", 1).transport(settings).module("svc", null, 1, i -> new Service()).start();
    caller = TestNode.builder("caller", 1).start().connectedTo(server);
    logs = CapturedLogs.of("io.frpc");
  }

  @AfterEach
  void stop() {
    logs.close();
    caller.close();
    server.close();
  }

  @Test
  void garbageClosesOnlyThatConnectionAndTheLogNamesPeerAndReason() throws IOException {
    try (Socket socket = connect()) {
      send(socket, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 2, 3});
      assertClosedByServer(socket);
      String peer = ":" + socket.getLocalPort();
      assertThat(logs.events()).anySatisfy(event -> {
        assertThat(event.getLevel()).isEqualTo(Level.WARN);
        assertThat(event.getFormattedMessage()).contains("protocol violation", peer, "frame length");
      });
    }
    assertOthersAreStillServed();
  }

  @Test
  void aFrameAboveTheHandshakeLimitIsRefusedBeforeItsBytesArrive() throws IOException {
    try (Socket socket = connect()) {
      send(socket, ByteBuffer.allocate(5).putInt(20_000).put(FrameType.HELLO).array());
      assertClosedByServer(socket);
    }
    assertOthersAreStillServed();
  }

  @Test
  void aRequestBeforeTheHandshakeClosesTheConnection() throws IOException {
    try (Socket socket = connect()) {
      send(socket, request("svc", "add", 1, 2));
      assertClosedByServer(socket);
    }
    assertThat(logs.events()).anySatisfy(event -> assertThat(event.getFormattedMessage())
        .contains("REQUEST frame before the handshake completed"));
    assertOthersAreStillServed();
  }

  @Test
  void aConnectionWithoutHandshakeIsClosedAfterTheHandshakeTimeout() throws IOException {
    try (Socket socket = connect()) {
      assertClosedByServer(socket);
    }
    assertThat(logs.events()).anySatisfy(event -> assertThat(event.getFormattedMessage())
        .contains("no handshake within 500 ms"));
  }

  @Test
  void anUnsupportedProtocolVersionIsRejectedWithAReason() throws IOException {
    try (Socket socket = connect()) {
      send(socket, control(FrameType.HELLO, new Hello(99, "intruder", 1, "boot", 1 << 20, Set.of())));
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] frame = new byte[in.readInt()];
      in.readFully(frame);
      assertThat(frame[0]).isEqualTo(FrameType.HELLO_REJECT);
      assertThat(new String(frame, 1, frame.length - 1, StandardCharsets.ISO_8859_1))
          .contains("protocol version 99 is not supported");
      assertClosedByServer(socket);
    }
  }

  @Test
  void anUnknownFrameTypeAfterTheHandshakeClosesTheConnection() throws IOException {
    try (Socket socket = handshaken()) {
      send(socket, ByteBuffer.allocate(6).putInt(2).put((byte) 0x7F).put((byte) 0).array());
      assertClosedByServer(socket);
    }
    assertThat(logs.events()).anySatisfy(event -> assertThat(event.getFormattedMessage()).contains("unknown frame type"));
    assertOthersAreStillServed();
  }

  @Test
  void aThousandViolatingPeersWriteAHandfulOfLinesAndASummary() throws IOException {
    for (int i = 0; i < 1000; i++) {
      // from 20 loopback addresses: the listener accepts at most 100 new connections a second from one
      Socket from = new Socket(InetAddress.getLoopbackAddress(), server.port(),
          InetAddress.getByName("127.0.0." + (2 + i % 20)), 0);
      from.setSoTimeout(10_000);
      try (Socket socket = handshaken(from)) {
        send(socket, ByteBuffer.allocate(6).putInt(2).put((byte) 0x7F).put((byte) 0).array());
        assertClosedByServer(socket);
      }
    }
    assertOthersAreStillServed();
    caller.close();
    server.close();

    List<String> lines = logs.events().stream().map(ILoggingEvent::getFormattedMessage)
        .filter(message -> message.contains("unknown frame type")).toList();
    assertThat(lines).as("one line, then the summary when the listener stops").hasSizeLessThanOrEqualTo(3)
        .anySatisfy(line -> assertThat(line).contains("999 similar line(s) held back since the last"));
  }

  @Test
  void aFragmentedMessageDeclaringMoreThanTheMaximumSizeIsRefusedBeforeAllocation() throws IOException {
    try (Socket socket = handshaken()) {
      send(socket, ByteBuffer.allocate(14).putInt(10).put(FrameType.FRAGMENT).put((byte) 1)
          .putInt(Integer.MAX_VALUE).putInt(0).array());
      assertClosedByServer(socket);
    }
    assertThat(logs.events()).anySatisfy(event -> assertThat(event.getFormattedMessage())
        .contains("exceeds the maximum message size"));
    assertOthersAreStillServed();
  }

  @Test
  void aFrameAboveTheFrameLimitAfterTheHandshakeClosesTheConnection() throws IOException {
    try (Socket socket = handshaken()) {
      send(socket, ByteBuffer.allocate(5).putInt(64 * 1024 * 1024).put(FrameType.REQUEST).array());
      assertClosedByServer(socket);
    }
    assertOthersAreStillServed();
  }

  @Test
  void aRequestWithReservedFlagBitsClosesTheConnection() throws IOException {
    byte[] request = request(null);
    request[4 + 1] |= (byte) 0x40;
    try (Socket socket = handshaken()) {
      send(socket, request);
      assertClosedByServer(socket);
    }
    assertThat(logs.events()).anySatisfy(event -> assertThat(event.getFormattedMessage())
        .contains("reserved bits"));
    assertOthersAreStillServed();
  }

  @Test
  void aTraceContextFromAPeerWithoutTheTraceFeatureClosesTheConnection() throws IOException {
    try (Socket socket = handshaken()) {
      send(socket, request("traceparent=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
      assertClosedByServer(socket);
    }
    assertThat(logs.events()).anySatisfy(event -> assertThat(event.getFormattedMessage())
        .contains("without the trace feature"));
    assertOthersAreStillServed();
  }

  /** A well-formed REQUEST of svc.add(2, 3), with {@code traceContext} when not null. */
  private static byte[] request(String traceContext) {
    ByteBuf frame = Frames.request(UnpooledByteBufAllocator.DEFAULT, new RequestEnvelope(1, true,
        InstanceSelection.BALANCE, 0, "svc", null, "add", 1000, traceContext), new PayloadCodec(),
        new Object[] {2, 3});
    byte[] bytes = new byte[frame.readableBytes()];
    frame.readBytes(bytes);
    frame.release();
    return bytes;
  }

  @Test
  void aTruncatedEnvelopeClosesTheConnection() throws IOException {
    try (Socket socket = handshaken()) {
      send(socket, ByteBuffer.allocate(8).putInt(4).put(FrameType.REQUEST).put((byte) 0).putShort((short) 1).array());
      assertClosedByServer(socket);
    }
    assertThat(logs.events()).anySatisfy(event -> assertThat(event.getFormattedMessage())
        .contains("protocol violation: truncated REQUEST frame"));
    assertOthersAreStillServed();
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", server.port());
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** A raw connection that completed the handshake. */
  private Socket handshaken() throws IOException {
    return handshaken(connect());
  }

  private Socket handshaken(Socket socket) throws IOException {
    send(socket, control(FrameType.HELLO, new Hello(FrameType.PROTOCOL_VERSION, "raw", 9, "boot", 1 << 20, Set.of())));
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] ack = new byte[in.readInt()];
    in.readFully(ack);
    assertThat(ack[0]).isEqualTo(FrameType.HELLO_ACK);
    return socket;
  }

  private void assertOthersAreStillServed() {
    assertThat(caller.frpc.module("game", "svc").call("add", Integer.class, 2, 3)).isEqualTo(5);
  }

  private static void send(Socket socket, byte[] bytes) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(bytes);
    out.flush();
  }

  private static void assertClosedByServer(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    byte[] sink = new byte[4096];
    try {
      while (in.read(sink) != -1) {
        // drain whatever the server wrote before closing
      }
    } catch (SocketTimeoutException e) {
      fail("the server did not close the connection within 10 s");
    } catch (SocketException e) {
      // a reset also means the server closed it
    }
  }

  private byte[] control(byte type, Object body) {
    return bytes(Frames.control(UnpooledByteBufAllocator.DEFAULT, type, codec, body));
  }

  private byte[] request(String module, String command, Object... args) {
    return bytes(Frames.request(UnpooledByteBufAllocator.DEFAULT, new RequestEnvelope(1, true,
        InstanceSelection.BALANCE, 0, module, null, command, 1000), codec, args));
  }

  private static byte[] bytes(ByteBuf frame) {
    try {
      return ByteBufUtil.getBytes(frame);
    } finally {
      frame.release();
    }
  }
}
