package io.frpc.skynet.internal.handshake;

import static io.frpc.skynet.internal.handshake.HandshakeChannels.arrive;
import static io.frpc.skynet.internal.handshake.HandshakeChannels.littleEndian;
import static io.frpc.skynet.internal.handshake.HandshakeChannels.longs;
import static io.frpc.skynet.internal.handshake.HandshakeChannels.sessions;
import static io.frpc.skynet.internal.handshake.HandshakeChannels.written;
import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.skynet.LuaValue;
import io.frpc.skynet.SkynetPack;
import io.frpc.skynet.internal.frame.SkynetPush;
import io.frpc.skynet.internal.frame.SkynetRequest;
import io.frpc.skynet.internal.frame.SkynetResponse;
import io.frpc.skynet.internal.handshake.HandshakeChannels.Recorder;
import io.frpc.skynet.internal.handshake.HandshakeTranscript.Connection;
import io.frpc.skynet.internal.handshake.HandshakeTranscript.Frame;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The handshakes captured between a real skynet_fly client (svr_name "interop_c", svr_id 7) and real skynet_fly
 * servers (skynet-vectors/handshake), replayed with the capture's fixed randomness: our client sends the bytes
 * skynet_fly's client sent, our server answers the bytes skynet_fly's server answered, in the three configurations
 * and on both connections (1: RPC, 2: watch); then payloads after the handshake, encrypted or not, as captured.
 */
class SkynetHandshakeGoldenTest {

  private static final SkynetPack PACK = SkynetPack.create();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String CALL_ERROR =
      "call err /path/to/a/skynet_fly/checkouts/skynet/lualib/skynet.lua:817: call failed";

  enum Capture {
    PLAIN("transcript_plain.txt", SkynetSecurity.NONE),
    SECRET_ONLY("transcript_secret_only.txt", new SkynetSecurity("k3yone", false)),
    SECRET_AND_ENCRYPT("transcript_secret_encrypt.txt", new SkynetSecurity("s3cr3t", true));

    final HandshakeTranscript transcript;
    final SkynetSecurity security;

    Capture(String file, SkynetSecurity security) {
      this.transcript = HandshakeTranscript.load(file);
      this.security = security;
    }

    Connection connection(int number) {
      return transcript.connections().get(number - 1);
    }
  }

  static Stream<Arguments> connections() {
    return Stream.of(Capture.values()).flatMap(capture -> Stream.of(Arguments.of(capture, 1),
        Arguments.of(capture, 2)));
  }

  @ParameterizedTest(name = "{0} connection {1}")
  @MethodSource("connections")
  void theClientSendsWhatSkynetFlysClientSent(Capture capture, int number) {
    Connection connection = capture.connection(number);
    Recorder recorder = new Recorder();
    EmbeddedChannel channel = handshakenClient(capture, number, recorder);

    assertThat(recorder.errors).isEmpty();
    boolean encrypted = capture.security.encryptsPayloads(number == 2);
    assertThat(recorder.events).containsExactly(new SkynetHandshakeCompleted(secret(connection), encrypted));
    assertThat(channel.pipeline().get("handshake")).isNull();
    assertThat(channel.pipeline().get(SkynetPayloadCipher.class) != null).isEqualTo(encrypted);
    assertThat(channel.isOpen()).isTrue();
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  @ParameterizedTest(name = "{0} connection {1}")
  @MethodSource("connections")
  void theServerAnswersWhatSkynetFlysServerAnswered(Capture capture, int number) {
    Connection connection = capture.connection(number);
    Recorder recorder = new Recorder();
    EmbeddedChannel channel = handshakenServer(capture, number, recorder);

    assertThat(recorder.errors).isEmpty();
    boolean encrypted = capture.security.encryptsPayloads(number == 2);
    assertThat(recorder.events).containsExactly(new SkynetPeerIdentified("interop_c", 7, number == 2,
        secret(connection), encrypted));
    assertThat(channel.pipeline().get("handshake")).isNull();
    assertThat(channel.pipeline().get(SkynetPayloadCipher.class) != null).isEqualTo(encrypted);
    assertThat(channel.isOpen()).isTrue();
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  @Test
  void withEncryptionTheClientEncryptsCallsAndDecryptsResultsAsCaptured() {
    Connection connection = Capture.SECRET_AND_ENCRYPT.connection(1);
    Recorder recorder = new Recorder();
    EmbeddedChannel channel = handshakenClient(Capture.SECRET_AND_ENCRYPT, 1, recorder);

    channel.writeAndFlush(add(56));
    assertThat(hex(written(channel))).isEqualTo(hex(request(connection, 56)));
    arrive(channel, response(connection, 56));
    arrive(channel, response(connection, 58));
    assertThat(recorder.messages).containsExactly(new SkynetResponse(56, true, PACK.pack(LuaValue.of(42))),
        new SkynetResponse(58, false, CALL_ERROR.getBytes(StandardCharsets.UTF_8)));
    channel.finishAndReleaseAll();
  }

  @Test
  void withEncryptionTheServerDecryptsCallsAndEncryptsResultsButNotErrorsAsCaptured() {
    Connection connection = Capture.SECRET_AND_ENCRYPT.connection(1);
    Recorder recorder = new Recorder();
    EmbeddedChannel channel = handshakenServer(Capture.SECRET_AND_ENCRYPT, 1, recorder);

    arrive(channel, request(connection, 56));
    assertThat(recorder.messages).containsExactly(add(56));
    channel.writeAndFlush(new SkynetResponse(56, true, PACK.pack(LuaValue.of(42))));
    assertThat(hex(written(channel))).isEqualTo(hex(response(connection, 56)));
    channel.writeAndFlush(new SkynetResponse(58, false, CALL_ERROR.getBytes(StandardCharsets.UTF_8)));
    assertThat(hex(written(channel))).isEqualTo(hex(response(connection, 58)));
    channel.finishAndReleaseAll();
  }

  @Test
  void withEncryptionPushesAndSubscriptionsOnTheWatchConnectionAreEncryptedAsCaptured() {
    Connection connection = Capture.SECRET_AND_ENCRYPT.connection(2);
    byte[] subAck = PACK.pack(LuaValue.of(17), LuaValue.of("interop_client_m:1"));
    SkynetRequest sub = new SkynetRequest(11, "", "", 146, 0, false, PACK.pack(LuaValue.of("interop_pub"),
        LuaValue.of(17), LuaValue.of("interop_client_m:1")));

    Recorder serverSide = new Recorder();
    EmbeddedChannel server = handshakenServer(Capture.SECRET_AND_ENCRYPT, 2, serverSide);
    server.writeAndFlush(new SkynetPush(11, 18, "interop_pub", subAck));
    assertThat(hex(written(server))).isEqualTo(hex(push(connection, 18)));
    arrive(server, request(connection, 146));
    assertThat(serverSide.messages).containsExactly(sub);

    Recorder clientSide = new Recorder();
    EmbeddedChannel client = handshakenClient(Capture.SECRET_AND_ENCRYPT, 2, clientSide);
    HandshakeChannels.expectPushes(client);
    arrive(client, push(connection, 18));
    assertThat(clientSide.messages).containsExactly(new SkynetPush(11, 18, "interop_pub", subAck));
    client.writeAndFlush(sub);
    assertThat(hex(written(client))).isEqualTo(hex(request(connection, 146)));
    server.finishAndReleaseAll();
    client.finishAndReleaseAll();
  }

  @Test
  void withASecretOnlyCallsAndResultsStayClearAsCaptured() {
    Connection connection = Capture.SECRET_ONLY.connection(1);
    Recorder clientSide = new Recorder();
    EmbeddedChannel client = handshakenClient(Capture.SECRET_ONLY, 1, clientSide);
    client.writeAndFlush(add(34));
    assertThat(hex(written(client))).isEqualTo(hex(request(connection, 34)));

    Recorder serverSide = new Recorder();
    EmbeddedChannel server = handshakenServer(Capture.SECRET_ONLY, 1, serverSide);
    arrive(server, request(connection, 34));
    assertThat(serverSide.messages).containsExactly(add(34));
    server.writeAndFlush(new SkynetResponse(34, true, PACK.pack(LuaValue.of(42))));
    assertThat(hex(written(server))).isEqualTo(hex(response(connection, 34)));
    client.finishAndReleaseAll();
    server.finishAndReleaseAll();
  }

  @Test
  void withASecretOnlyTheWatchConnectionIsEncryptedAsSkynetFlysClientEncryptsIt() {
    // skynet_fly's client encrypts watch requests whenever the watch handshake had the challenge (its own server
    // then cannot read them); ours does the same on both sides, so a Java server serves skynet_fly's subscribers
    Connection connection = Capture.SECRET_ONLY.connection(2);
    SkynetRequest sub = new SkynetRequest(11, "", "", 141, 0, false, PACK.pack(LuaValue.of("interop_pub"),
        LuaValue.of(17), LuaValue.of("interop_client_m:1")));
    EmbeddedChannel client = handshakenClient(Capture.SECRET_ONLY, 2, new Recorder());
    client.writeAndFlush(sub);
    assertThat(hex(written(client))).isEqualTo(hex(request(connection, 141)));

    Recorder serverSide = new Recorder();
    EmbeddedChannel server = handshakenServer(Capture.SECRET_ONLY, 2, serverSide);
    arrive(server, request(connection, 141));
    assertThat(serverSide.messages).containsExactly(sub);
    client.finishAndReleaseAll();
    server.finishAndReleaseAll();
  }

  @Test
  void theClientsIdentityIsPackedInTheOrderSkynetFlyPackedItExceptOnThePlainWatchConnection() {
    // hash order differs between Lua processes: the plain watch capture has svr_name, is_watch, svr_id
    byte[] captured = Capture.PLAIN.connection(2).handshake().get(0).bytes();
    EmbeddedChannel client = HandshakeChannels.client(new SkynetClientHandshake("interop_c", 7,
        SkynetSecurity.NONE, true, sessions(session(captured)), longs(), TIMEOUT), new Recorder());
    byte[] ours = written(client);
    assertThat(ours).hasSameSizeAs(captured);
    assertThat(Arrays.copyOf(ours, 20)).isEqualTo(Arrays.copyOf(captured, 20));
    assertThat(PACK.unpack(Arrays.copyOfRange(ours, 20, ours.length)))
        .isEqualTo(PACK.unpack(Arrays.copyOfRange(captured, 20, captured.length)));
    client.finishAndReleaseAll();
  }

  /** A client that went through the captured handshake, asserting each frame it wrote. */
  private static EmbeddedChannel handshakenClient(Capture capture, int number, Recorder recorder) {
    Connection connection = capture.connection(number);
    List<Frame> frames = connection.handshake();
    long[] sessions = frames.stream().filter(Frame::fromClient).mapToLong(frame -> session(frame.bytes()))
        .toArray();
    RandomGenerator random = connection.keys().isEmpty() ? longs()
        : longs(littleEndian(connection.key("client_priv")));
    EmbeddedChannel channel = HandshakeChannels.client(new SkynetClientHandshake("interop_c", 7, capture.security,
        number == 2, sessions(sessions), random, TIMEOUT), recorder);
    boolean plainWatch = capture == Capture.PLAIN && number == 2;
    for (int i = 0; i < frames.size(); i += 2) {
      assertThat(frames.get(i).fromClient()).isTrue();
      byte[] sent = written(channel);
      if (!plainWatch) {
        assertThat(hex(sent)).as("frame %d of %s connection %d", i, capture, number)
            .isEqualTo(hex(frames.get(i).bytes()));
      }
      arrive(channel, frames.get(i + 1).bytes());
    }
    assertThat(written(channel)).isEmpty();
    return channel;
  }

  /** A server that went through the captured handshake, asserting each answer. */
  private static EmbeddedChannel handshakenServer(Capture capture, int number, Recorder recorder) {
    Connection connection = capture.connection(number);
    List<Frame> frames = connection.handshake();
    RandomGenerator random = connection.keys().isEmpty() ? longs()
        : longs(littleEndian(connection.key("challenge")), littleEndian(connection.key("server_priv")));
    EmbeddedChannel channel = HandshakeChannels.server(new SkynetServerHandshake(capture.security, random,
        TIMEOUT), recorder);
    for (int i = 0; i < frames.size(); i += 2) {
      arrive(channel, frames.get(i).bytes());
      assertThat(frames.get(i + 1).fromClient()).isFalse();
      assertThat(hex(written(channel))).as("answer %d of %s connection %d", i + 1, capture, number)
          .isEqualTo(hex(frames.get(i + 1).bytes()));
    }
    return channel;
  }

  private static SkynetRequest add(long session) {
    return new SkynetRequest(200, "interop_m", "", session, 0, true, PACK.pack(LuaValue.of("add"), LuaValue.of(40),
        LuaValue.of(2)));
  }

  private static byte[] secret(Connection connection) {
    return connection.keys().isEmpty() ? null : connection.key("secret");
  }

  /** A request's session: after the length, flag, pack id, two name lengths and the names. */
  private static long session(byte[] request) {
    return le32(request, 6 + (request[4] & 0xFF) + (request[5] & 0xFF));
  }

  private static byte[] request(Connection connection, long session) {
    return find(connection, frame -> frame.fromClient() && session(frame.bytes()) == session);
  }

  private static byte[] response(Connection connection, long session) {
    return find(connection, frame -> !frame.fromClient() && le32(frame.bytes(), 2) == session);
  }

  private static byte[] push(Connection connection, long session) {
    return find(connection, frame -> !frame.fromClient() && frame.bytes()[2] == 1 && le32(frame.bytes(), 4)
        == session);
  }

  private static byte[] find(Connection connection, java.util.function.Predicate<Frame> which) {
    return connection.frames().stream().filter(which).findFirst().orElseThrow().bytes();
  }

  private static long le32(byte[] bytes, int offset) {
    return (bytes[offset] & 0xFFL) | (bytes[offset + 1] & 0xFFL) << 8 | (bytes[offset + 2] & 0xFFL) << 16
        | (bytes[offset + 3] & 0xFFL) << 24;
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
