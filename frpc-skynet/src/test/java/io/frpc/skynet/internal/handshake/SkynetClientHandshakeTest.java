package io.frpc.skynet.internal.handshake;

import static io.frpc.skynet.internal.handshake.HandshakeChannels.advance;
import static io.frpc.skynet.internal.handshake.HandshakeChannels.arrive;
import static io.frpc.skynet.internal.handshake.HandshakeChannels.counter;
import static io.frpc.skynet.internal.handshake.HandshakeChannels.frame;
import static io.frpc.skynet.internal.handshake.HandshakeChannels.littleEndian;
import static io.frpc.skynet.internal.handshake.HandshakeChannels.longs;
import static io.frpc.skynet.internal.handshake.HandshakeChannels.sessions;
import static io.frpc.skynet.internal.handshake.HandshakeChannels.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frpc.skynet.LuaValue;
import io.frpc.skynet.SkynetPack;
import io.frpc.skynet.internal.frame.SkynetPush;
import io.frpc.skynet.internal.frame.SkynetResponse;
import io.frpc.skynet.internal.handshake.HandshakeChannels.Recorder;
import io.frpc.skynet.internal.handshake.HandshakeTranscript.Connection;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's handshake against servers that do not accept it or do not follow the handshake: each fails with a
 * {@link SkynetHandshakeException} that says why, and the connection is closed; nothing passes the handler after.
 */
class SkynetClientHandshakeTest {

  private static final SkynetPack PACK = SkynetPack.create();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  /** skynet_fly's server's answers, secret "s3cr3t" and encryption, RPC connection, sessions 6 to 9. */
  private static final Connection CAPTURED = HandshakeTranscript.load("transcript_secret_encrypt.txt")
      .connections().get(0);

  private final Recorder recorder = new Recorder();
  private EmbeddedChannel channel;

  @AfterEach
  void finish() {
    channel.finishAndReleaseAll();
  }

  /** A client with no secret: it sends its identity in session 1 at once. */
  private EmbeddedChannel plainClient() {
    channel = HandshakeChannels.client(new SkynetClientHandshake("c", 1, SkynetSecurity.NONE, false, counter(),
        longs(), TIMEOUT), recorder);
    assertThat(written(channel)).isNotEmpty();
    return channel;
  }

  /** The captured client, after steps 1 to 3 with the captured server: it has just sent its identity. */
  private EmbeddedChannel capturedClientAtIdentity() {
    channel = HandshakeChannels.client(new SkynetClientHandshake("interop_c", 7, new SkynetSecurity("s3cr3t", true),
        false, sessions(6, 7, 8, 9), longs(littleEndian(CAPTURED.key("client_priv"))), TIMEOUT), recorder);
    for (int i = 0; i < 6; i += 2) {
      assertThat(written(channel)).isEqualTo(CAPTURED.handshake().get(i).bytes());
      arrive(channel, CAPTURED.handshake().get(i + 1).bytes());
    }
    assertThat(written(channel)).isEqualTo(CAPTURED.handshake().get(6).bytes());
    return channel;
  }

  /** A client with a secret that has just sent step 1 in session 1. */
  private EmbeddedChannel challengingClient() {
    channel = HandshakeChannels.client(new SkynetClientHandshake("c", 1, new SkynetSecurity("k", false), false,
        counter(), longs(5), TIMEOUT), recorder);
    written(channel);
    return channel;
  }

  private static byte[] answer(long session, LuaValue... values) {
    return frame(new SkynetResponse(session, true, PACK.pack(values)));
  }

  private void assertFailed(String reason) {
    assertThat(channel.isOpen()).isFalse();
    assertThat(recorder.events).isEmpty();
    assertThat(recorder.errors).singleElement().isInstanceOf(SkynetHandshakeException.class)
        .extracting(Throwable::getMessage).asString().contains(reason);
  }

  @Test
  void secretKeyErrFailsWithTheAdviceToCheckTheSecret() {
    capturedClientAtIdentity();
    arrive(channel, answer(9, LuaValue.of("secret_key err")));
    assertFailed("refused our secret key");
  }

  @Test
  void anErrorResponseFails() {
    plainClient();
    arrive(channel, frame(new SkynetResponse(1, false, "boom".getBytes(StandardCharsets.UTF_8))));
    assertFailed("the error \"boom\"");
  }

  @Test
  void theServersTextIsEscapedAndCutInTheMessage() {
    plainClient();
    arrive(channel, frame(new SkynetResponse(1, false, ("line\nbreak\u001b[31m" + "x".repeat(500))
        .getBytes(StandardCharsets.UTF_8))));
    assertFailed("line\\u000abreak\\u001b[31mxxx");
    assertThat(recorder.errors.get(0).getMessage()).contains("...(515 chars)").doesNotContain("\n")
        .hasSizeLessThan(400);
  }

  @Test
  void anAnswerToAnotherSessionFails() {
    plainClient();
    arrive(channel, answer(2, LuaValue.of("ok")));
    assertFailed("answered session 2");
  }

  @Test
  void anAnswerOtherThanOkToTheIdentityFails() {
    plainClient();
    arrive(channel, answer(1, LuaValue.of("welcome")));
    assertFailed("did not accept our identity");
  }

  @Test
  void anAnswerThatHoldsNoStringFails() {
    plainClient();
    arrive(channel, answer(1, LuaValue.of(42)));
    assertFailed("holds no string");
  }

  @Test
  void anAnswerThatIsNotSkynetPackFails() {
    plainClient();
    arrive(channel, frame(new SkynetResponse(1, true, new byte[] {7})));
    assertFailed("not skynet.pack data");
  }

  @Test
  void aChallengeThatIsNotBase64Fails() {
    challengingClient();
    arrive(channel, answer(1, LuaValue.of("not base64!")));
    assertFailed("step 1 (the challenge) is unusable");
  }

  @Test
  void aChallengeOfOtherThanEightBytesFails() {
    challengingClient();
    arrive(channel, answer(1, LuaValue.of(SkynetCrypto.base64Encode(new byte[9]))));
    assertFailed("has 9 bytes");
  }

  @Test
  void aServerKeyOfZeroFails() {
    challengingClient();
    arrive(channel, answer(1, LuaValue.of(SkynetCrypto.base64Encode(new byte[8]))));
    written(channel);
    arrive(channel, answer(2, LuaValue.of(SkynetCrypto.base64Encode(new byte[8]))));
    assertFailed("step 2 (the key exchange) is unusable");
  }

  @Test
  void anAnswerOtherThanOkToStep3Fails() {
    channel = HandshakeChannels.client(new SkynetClientHandshake("interop_c", 7, new SkynetSecurity("s3cr3t", true),
        false, sessions(6, 7, 8), longs(littleEndian(CAPTURED.key("client_priv"))), TIMEOUT), recorder);
    for (int i = 0; i < 4; i += 2) {
      written(channel);
      arrive(channel, CAPTURED.handshake().get(i + 1).bytes());
    }
    written(channel);
    arrive(channel, answer(8, LuaValue.of("no")));
    assertFailed("did not accept our answer to its challenge");
  }

  @Test
  void aPushDuringTheHandshakeFails() {
    plainClient();
    channel.pipeline().fireChannelRead(new SkynetPush(10, 1, "c", new byte[0]));
    assertFailed("only responses belong");
  }

  @Test
  void aServerThatAnswersNothingFailsAtTheTimeoutWithTheLikelyCause() {
    challengingClient();
    advance(channel, TIMEOUT.minusMillis(1));
    assertThat(channel.isOpen()).isTrue();
    advance(channel, Duration.ofMillis(1));
    assertFailed("no answer within 10000 ms to step 1 (the challenge) (skynet_fly's server answers nothing when it"
        + " has neither secret_key nor is_encrypt");
  }

  @Test
  void aServerThatClosesTheConnectionFails() {
    plainClient();
    channel.close();
    assertFailed("closed the connection during the identity (skynet_fly's server answers nothing when it has a"
        + " secret_key");
  }

  @Test
  void aCompletedHandshakeIsNotTimedOutAndPassesWhatFollows() {
    plainClient();
    arrive(channel, answer(1, LuaValue.of("ok")));
    advance(channel, TIMEOUT.multipliedBy(3));
    arrive(channel, answer(2, LuaValue.of("later")));
    assertThat(channel.isOpen()).isTrue();
    assertThat(recorder.errors).isEmpty();
    assertThat(recorder.events).containsExactly(new SkynetHandshakeCompleted(null, false));
    assertThat(recorder.messages).containsExactly(new SkynetResponse(2, true, PACK.pack(LuaValue.of("later"))));
  }

  @Test
  void nothingPassesAfterAFailure() {
    plainClient();
    arrive(channel, answer(1, LuaValue.of("no")));
    channel.pipeline().fireChannelRead(new SkynetResponse(2, true, PACK.pack(LuaValue.of("more"))));
    assertThat(recorder.messages).isEmpty();
    assertThat(recorder.errors).hasSize(1);
  }

  @Test
  void aSecurityWithAnEmptySecretIsRefused() {
    assertThatThrownBy(() -> new SkynetSecurity("", false)).isInstanceOf(IllegalArgumentException.class);
    channel = new EmbeddedChannel();
  }
}
