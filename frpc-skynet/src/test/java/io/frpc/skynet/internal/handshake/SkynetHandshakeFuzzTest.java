package io.frpc.skynet.internal.handshake;

import static io.frpc.skynet.internal.handshake.HandshakeChannels.arrive;
import static io.frpc.skynet.internal.handshake.HandshakeChannels.frame;
import static io.frpc.skynet.internal.handshake.HandshakeChannels.littleEndian;
import static io.frpc.skynet.internal.handshake.HandshakeChannels.longs;
import static io.frpc.skynet.internal.handshake.HandshakeChannels.written;
import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.skynet.internal.frame.SkynetRequest;
import io.frpc.skynet.internal.frame.SkynetResponse;
import io.frpc.skynet.internal.handshake.HandshakeChannels.Recorder;
import io.frpc.skynet.internal.handshake.HandshakeTranscript.Connection;
import io.frpc.skynet.internal.handshake.HandshakeTranscript.Frame;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Both handshakes fed the captured handshake with one payload corrupted (bytes flipped, cut, or random), at every
 * step: whatever arrives, the only failure is a {@link SkynetHandshakeException} and the connection is then closed;
 * a handshake that still completes reports its event and nothing else.
 */
class SkynetHandshakeFuzzTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Connection CAPTURED = HandshakeTranscript.load("transcript_secret_encrypt.txt")
      .connections().get(0);
  private static final SkynetSecurity SECURITY = new SkynetSecurity("s3cr3t", true);
  private static final int ROUNDS = 3000;

  @Test
  void theServerFailsOnlyWithItsExceptionWhateverTheClientSends() {
    SplittableRandom random = new SplittableRandom(26);
    List<Frame> frames = CAPTURED.handshake();
    for (int round = 0; round < ROUNDS; round++) {
      int corrupted = random.nextInt(4) * 2;
      Recorder recorder = new Recorder();
      EmbeddedChannel server = HandshakeChannels.server(new SkynetServerHandshake(SECURITY,
          longs(littleEndian(CAPTURED.key("challenge")), littleEndian(CAPTURED.key("server_priv"))), TIMEOUT),
          recorder);
      for (int i = 0; i <= corrupted && server.isOpen(); i += 2) {
        byte[] request = frames.get(i).bytes();
        if (i == corrupted) {
          // the payload of a handshake request starts after the 20 bytes of its header
          request = frame(new SkynetRequest(1, "hand_shake", "", 6 + i / 2, 0, true,
              corrupt(Arrays.copyOfRange(request, 20, request.length), random)));
        }
        arrive(server, request);
        written(server);
      }
      assertOnlyHandshakeFailures(recorder, server, "round " + round);
      server.finishAndReleaseAll();
    }
  }

  @Test
  void theClientFailsOnlyWithItsExceptionWhateverTheServerAnswers() {
    SplittableRandom random = new SplittableRandom(62);
    List<Frame> frames = CAPTURED.handshake();
    for (int round = 0; round < ROUNDS; round++) {
      int corrupted = random.nextInt(4) * 2 + 1;
      Recorder recorder = new Recorder();
      EmbeddedChannel client = HandshakeChannels.client(new SkynetClientHandshake("interop_c", 7, SECURITY, false,
          HandshakeChannels.sessions(6, 7, 8, 9), longs(littleEndian(CAPTURED.key("client_priv"))), TIMEOUT),
          recorder);
      for (int i = 1; i <= corrupted && client.isOpen(); i += 2) {
        written(client);
        byte[] answer = frames.get(i).bytes();
        if (i == corrupted) {
          // the payload of an answer starts after length, session and type
          answer = frame(new SkynetResponse(6 + i / 2, true, corrupt(Arrays.copyOfRange(answer, 7, answer.length),
              random)));
        }
        arrive(client, answer);
      }
      assertOnlyHandshakeFailures(recorder, client, "round " + round);
      client.finishAndReleaseAll();
    }
  }

  @Test
  void randomRequestsBeforeAnyHandshakeOnlyFailTheHandshake() {
    SplittableRandom random = new SplittableRandom(7);
    for (int round = 0; round < ROUNDS; round++) {
      Recorder recorder = new Recorder();
      EmbeddedChannel server = HandshakeChannels.server(new SkynetServerHandshake(
          random.nextBoolean() ? SECURITY : SkynetSecurity.NONE, counterRandom(), TIMEOUT), recorder);
      byte[] payload = new byte[random.nextInt(64)];
      random.nextBytes(payload);
      arrive(server, frame(new SkynetRequest(1, "hand_shake", "", 1, 0, true, payload)));
      written(server);
      assertOnlyHandshakeFailures(recorder, server, "round " + round);
      server.finishAndReleaseAll();
    }
  }

  private static void assertOnlyHandshakeFailures(Recorder recorder, EmbeddedChannel channel, String round) {
    assertThat(recorder.errors).as(round).allSatisfy(error -> assertThat(error)
        .isInstanceOf(SkynetHandshakeException.class));
    assertThat(recorder.errors.size() + recorder.events.size()).as(round).isLessThanOrEqualTo(1);
    if (!recorder.errors.isEmpty()) {
      assertThat(channel.isOpen()).as(round + ": closed after " + recorder.errors).isFalse();
    }
  }

  private static byte[] corrupt(byte[] payload, SplittableRandom random) {
    byte[] bytes = payload.clone();
    switch (random.nextInt(3)) {
      case 0 -> {
        for (int flips = 1 + random.nextInt(3); flips > 0 && bytes.length > 0; flips--) {
          bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
        }
        return bytes;
      }
      case 1 -> {
        return Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
      }
      default -> {
        byte[] noise = new byte[random.nextInt(48)];
        random.nextBytes(noise);
        return noise;
      }
    }
  }

  private static java.util.random.RandomGenerator counterRandom() {
    long[] next = {0};
    return () -> ++next[0];
  }
}
