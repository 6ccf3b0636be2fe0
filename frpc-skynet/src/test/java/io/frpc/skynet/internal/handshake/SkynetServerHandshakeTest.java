package io.frpc.skynet.internal.handshake;

import static io.frpc.skynet.internal.handshake.HandshakeChannels.advance;
import static io.frpc.skynet.internal.handshake.HandshakeChannels.arrive;
import static io.frpc.skynet.internal.handshake.HandshakeChannels.frame;
import static io.frpc.skynet.internal.handshake.HandshakeChannels.littleEndian;
import static io.frpc.skynet.internal.handshake.HandshakeChannels.longs;
import static io.frpc.skynet.internal.handshake.HandshakeChannels.written;
import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.skynet.LuaTable;
import io.frpc.skynet.LuaValue;
import io.frpc.skynet.SkynetPack;
import io.frpc.skynet.internal.frame.SkynetRequest;
import io.frpc.skynet.internal.frame.SkynetResponse;
import io.frpc.skynet.internal.handshake.HandshakeChannels.Recorder;
import io.frpc.skynet.internal.handshake.HandshakeTranscript.Connection;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server's handshake against clients that do not follow it: silence where skynet_fly is silent, then the
 * connection closed with the reason; {@code "secret_key err"} then closed; other requests dropped until the
 * handshake completes; the deadline; the bounds on what a client may send.
 */
class SkynetServerHandshakeTest {

  private static final SkynetPack PACK = SkynetPack.create();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  /** skynet_fly's client's frames, secret "s3cr3t" and encryption, RPC connection, sessions 6 to 9. */
  private static final Connection CAPTURED = HandshakeTranscript.load("transcript_secret_encrypt.txt")
      .connections().get(0);
  private static final SkynetSecurity CAPTURED_SECURITY = new SkynetSecurity("s3cr3t", true);

  private final Recorder recorder = new Recorder();
  private EmbeddedChannel channel;

  @AfterEach
  void finish() {
    channel.finishAndReleaseAll();
  }

  private EmbeddedChannel server(SkynetSecurity security, RandomGenerator random) {
    channel = HandshakeChannels.server(new SkynetServerHandshake(security, random, TIMEOUT), recorder);
    return channel;
  }

  private EmbeddedChannel capturedServer(SkynetSecurity security) {
    return server(security, longs(littleEndian(CAPTURED.key("challenge")),
        littleEndian(CAPTURED.key("server_priv"))));
  }

  private static byte[] handshakeRequest(long session, LuaValue... values) {
    return frame(new SkynetRequest(1, "hand_shake", "", session, 0, true, PACK.pack(values)));
  }

  private static LuaTable identity(String name, long id) {
    return LuaTable.builder().put("svr_name", LuaValue.of(name)).put("svr_id", LuaValue.of(id)).build();
  }

  private void assertClosedSilently(String reason) {
    assertThat(written(channel)).as("no answer").isEmpty();
    assertClosed(reason);
  }

  private void assertClosed(String reason) {
    assertThat(channel.isOpen()).isFalse();
    assertThat(recorder.events).isEmpty();
    assertThat(recorder.errors).singleElement().isInstanceOf(SkynetHandshakeException.class)
        .extracting(Throwable::getMessage).asString().contains(reason);
  }

  @Test
  void aWrongSecretKeyIsAnsweredSecretKeyErrThenTheConnectionIsClosed() {
    capturedServer(new SkynetSecurity("another", true));
    for (int i = 0; i < 6; i += 2) {
      arrive(channel, CAPTURED.handshake().get(i).bytes());
      assertThat(written(channel)).isEqualTo(CAPTURED.handshake().get(i + 1).bytes());
    }
    arrive(channel, CAPTURED.handshake().get(6).bytes());

    assertThat(HexFormat.of().formatHex(written(channel))).isEqualTo("0014" + "09000000" + "01" + "74"
        + HexFormat.of().formatHex("secret_key err".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    assertClosed("secret_key differs");
  }

  @Test
  void aServerWithoutSecretAcceptsAnySecretKey() {
    server(SkynetSecurity.NONE, longs());
    arrive(channel, handshakeRequest(3, LuaTable.builder().put("svr_name", LuaValue.of("c"))
        .put("secret_key", LuaValue.of("whatever")).put("svr_id", LuaValue.of(1)).build()));

    assertThat(written(channel)).isEqualTo(frame(new SkynetResponse(3, true, PACK.pack(LuaValue.of("ok")))));
    assertThat(recorder.events).containsExactly(new SkynetPeerIdentified("c", 1, false, null, false));
  }

  @Test
  void anIdentityWithoutTheChallengeAtAChallengingServerIsClosedWithoutAnswer() {
    server(CAPTURED_SECURITY, longs());
    arrive(channel, handshakeRequest(1, identity("interop_c", 7)));
    assertClosedSilently("its identity without the challenge");
  }

  @Test
  void aChallengeBegunAtAServerWithoutSecretIsClosedWithoutAnswer() {
    server(SkynetSecurity.NONE, longs());
    arrive(channel, CAPTURED.handshake().get(0).bytes());
    assertClosedSilently("it began the challenge");
  }

  @Test
  void step2BeforeStep1IsClosedWithoutAnswer() {
    capturedServer(CAPTURED_SECURITY);
    arrive(channel, CAPTURED.handshake().get(2).bytes());
    assertClosedSilently("step 2 where step 1 belongs");
  }

  @Test
  void step1TwiceIsClosedWithoutASecondAnswer() {
    capturedServer(CAPTURED_SECURITY);
    arrive(channel, CAPTURED.handshake().get(0).bytes());
    assertThat(written(channel)).isEqualTo(CAPTURED.handshake().get(1).bytes());
    arrive(channel, CAPTURED.handshake().get(0).bytes());
    assertClosedSilently("step 1 where step 2 belongs");
  }

  @Test
  void step3BeforeStep2IsClosedWithoutAnswer() {
    capturedServer(CAPTURED_SECURITY);
    arrive(channel, CAPTURED.handshake().get(0).bytes());
    written(channel);
    arrive(channel, CAPTURED.handshake().get(4).bytes());
    assertClosedSilently("step 3 where step 2 belongs");
  }

  @Test
  void theIdentityBeforeStep3IsClosedWithoutAnswer() {
    capturedServer(CAPTURED_SECURITY);
    for (int i = 0; i < 4; i += 2) {
      arrive(channel, CAPTURED.handshake().get(i).bytes());
      written(channel);
    }
    arrive(channel, CAPTURED.handshake().get(6).bytes());
    assertClosedSilently("step 3");
  }

  @Test
  void aWrongAnswerToTheChallengeIsClosedWithoutAnswer() {
    // another challenge than the one the captured client answered
    server(CAPTURED_SECURITY, longs(0x1234L, littleEndian(CAPTURED.key("server_priv"))));
    for (int i = 0; i < 4; i += 2) {
      arrive(channel, CAPTURED.handshake().get(i).bytes());
      written(channel);
    }
    arrive(channel, CAPTURED.handshake().get(4).bytes());
    assertClosedSilently("answer to the challenge (step 3) is wrong");
  }

  @Test
  void aClientKeyThatIsNotEightBytesIsClosedWithoutAnswer() {
    capturedServer(CAPTURED_SECURITY);
    arrive(channel, CAPTURED.handshake().get(0).bytes());
    written(channel);
    arrive(channel, handshakeRequest(7, LuaTable.builder().put("step", LuaValue.of(2))
        .put("client_key", LuaValue.of(SkynetCrypto.base64Encode(new byte[7]))).build()));
    assertClosedSilently("7 bytes");
  }

  @Test
  void aClientKeyOfZeroIsClosedWithoutAnswer() {
    capturedServer(CAPTURED_SECURITY);
    arrive(channel, CAPTURED.handshake().get(0).bytes());
    written(channel);
    arrive(channel, handshakeRequest(7, LuaTable.builder().put("step", LuaValue.of(2))
        .put("client_key", LuaValue.of(SkynetCrypto.base64Encode(new byte[8]))).build()));
    assertClosedSilently("is 0");
  }

  @Test
  void anIdentityThatDoesNotDecryptIsClosedWithoutAnswer() {
    capturedServer(CAPTURED_SECURITY);
    for (int i = 0; i < 6; i += 2) {
      arrive(channel, CAPTURED.handshake().get(i).bytes());
      written(channel);
    }
    // the identity in clear where it must be encrypted
    arrive(channel, handshakeRequest(9, identity("interop_c", 7)));
    assertClosedSilently("unreadable");
  }

  @Test
  void garbageIsClosedWithoutAnswer() {
    server(SkynetSecurity.NONE, longs());
    arrive(channel, frame(new SkynetRequest(1, "hand_shake", "", 1, 0, true, new byte[] {7, 1, 2})));
    assertClosedSilently("unreadable");
  }

  @Test
  void aPayloadThatIsNotATableIsClosedWithoutAnswer() {
    server(SkynetSecurity.NONE, longs());
    arrive(channel, handshakeRequest(1, LuaValue.of("interop_c"), LuaValue.of(7)));
    assertClosedSilently("not a table");
  }

  @Test
  void anIdentityWithoutSvrIdIsClosedWithoutAnswer() {
    server(SkynetSecurity.NONE, longs());
    arrive(channel, handshakeRequest(1, LuaTable.builder().put("svr_name", LuaValue.of("c")).build()));
    assertClosedSilently("no svr_name");
  }

  @Test
  void anIdentityWhoseSvrIdIsNotAnIntegerIsClosedWithoutAnswer() {
    server(SkynetSecurity.NONE, longs());
    arrive(channel, handshakeRequest(1, LuaTable.builder().put("svr_name", LuaValue.of("c"))
        .put("svr_id", LuaValue.of("7")).build()));
    assertClosedSilently("integer svr_id");
  }

  @Test
  void aSvrNameOfMoreThan255BytesIsClosedWithoutAnswer() {
    server(SkynetSecurity.NONE, longs());
    arrive(channel, handshakeRequest(1, identity("n".repeat(256), 7)));
    assertClosedSilently("1 to 255 bytes");
  }

  @Test
  void aPayloadOfMoreThan4KibIsClosedWithoutAnswer() {
    server(SkynetSecurity.NONE, longs());
    arrive(channel, handshakeRequest(1, LuaTable.builder().put("svr_name", LuaValue.of("c"))
        .put("svr_id", LuaValue.of(1)).put("pad", LuaValue.of("p".repeat(4100))).build()));
    assertClosedSilently("more than 4096");
  }

  @Test
  void aTableOfMoreThan16EntriesIsClosedWithoutAnswer() {
    LuaTable.Builder table = LuaTable.builder().put("svr_name", LuaValue.of("c")).put("svr_id", LuaValue.of(1));
    for (int i = 0; i < 15; i++) {
      table.put("k" + i, LuaValue.of(i));
    }
    server(SkynetSecurity.NONE, longs());
    arrive(channel, handshakeRequest(1, table.build()));
    assertClosedSilently("at most 16 entries");
  }

  @Test
  void otherRequestsBeforeTheHandshakeAreDroppedAndAfterItPassed() {
    server(SkynetSecurity.NONE, longs());
    SkynetRequest call = new SkynetRequest(200, "m", "", 5, 0, true, PACK.pack(LuaValue.of("ping")));
    arrive(channel, frame(call));
    assertThat(written(channel)).isEmpty();
    assertThat(recorder.messages).isEmpty();
    assertThat(channel.isOpen()).isTrue();

    arrive(channel, handshakeRequest(6, identity("c", 1)));
    assertThat(recorder.events).containsExactly(new SkynetPeerIdentified("c", 1, false, null, false));
    written(channel);
    arrive(channel, frame(call));
    assertThat(recorder.messages).containsExactly(call);
    assertThat(recorder.errors).isEmpty();
  }

  @Test
  void aClientThatDoesNotCompleteWithinTheTimeoutIsClosed() {
    capturedServer(CAPTURED_SECURITY);
    arrive(channel, CAPTURED.handshake().get(0).bytes());
    written(channel);
    advance(channel, TIMEOUT.minusMillis(1));
    assertThat(channel.isOpen()).isTrue();
    advance(channel, Duration.ofMillis(1));
    assertClosed("within 10000 ms");
  }

  @Test
  void aCompletedHandshakeIsNotTimedOut() {
    server(SkynetSecurity.NONE, longs());
    arrive(channel, handshakeRequest(1, identity("c", 1)));
    advance(channel, TIMEOUT.multipliedBy(3));
    assertThat(channel.isOpen()).isTrue();
    assertThat(recorder.errors).isEmpty();
  }

  @Test
  void isWatchIsTrueForAnyValueButNilAndFalse() {
    for (LuaValue value : List.of(LuaValue.of(true), LuaValue.of(1), LuaValue.of(false))) {
      Recorder events = new Recorder();
      EmbeddedChannel server = HandshakeChannels.server(new SkynetServerHandshake(SkynetSecurity.NONE, longs(),
          TIMEOUT), events);
      arrive(server, handshakeRequest(1, LuaTable.builder().put("svr_name", LuaValue.of("c"))
          .put("svr_id", LuaValue.of(1)).put("is_watch", value).build()));
      assertThat(events.events).as("is_watch = %s", value)
          .containsExactly(new SkynetPeerIdentified("c", 1, !value.equals(LuaValue.of(false)), null, false));
      server.finishAndReleaseAll();
    }
    channel = new EmbeddedChannel();
  }
}
