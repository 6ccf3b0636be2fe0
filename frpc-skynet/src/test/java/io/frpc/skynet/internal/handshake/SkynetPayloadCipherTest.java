package io.frpc.skynet.internal.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.skynet.LuaValue;
import io.frpc.skynet.SkynetPack;
import io.frpc.skynet.internal.frame.SkynetPush;
import io.frpc.skynet.internal.frame.SkynetRequest;
import io.frpc.skynet.internal.frame.SkynetResponse;
import io.frpc.skynet.internal.handshake.HandshakeChannels.Recorder;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The payload cipher on its own, message by message: what each side encrypts and decrypts, and what happens to a
 * payload that does not decrypt.
 */
class SkynetPayloadCipherTest {

  private static final SkynetPack PACK = SkynetPack.create();
  private static final byte[] KEY = HexFormat.of().parseHex("90f913859051d54d");
  private static final byte[] PLAIN = PACK.pack(LuaValue.of("add"), LuaValue.of(40), LuaValue.of(2));

  private final Recorder recorder = new Recorder();
  private EmbeddedChannel channel;

  @AfterEach
  void finish() {
    channel.finishAndReleaseAll();
  }

  private void server() {
    channel = new EmbeddedChannel(SkynetPayloadCipher.forServer(KEY, "interop_c:7"), recorder);
  }

  private void client() {
    channel = new EmbeddedChannel(SkynetPayloadCipher.forClient(KEY), recorder);
  }

  private static byte[] encrypted(byte[] plain) {
    return SkynetCrypto.desEncode(KEY, plain);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aServerDecryptsRequestsAndEncryptsOkResponsesAndPushesButNotErrors() {
    server();
    channel.writeInbound(new SkynetRequest(200, "m", "i", 5, 9, true, encrypted(PLAIN)));
    assertThat(recorder.messages).containsExactly(new SkynetRequest(200, "m", "i", 5, 9, true, PLAIN));

    channel.writeOutbound(new SkynetResponse(5, true, PLAIN), new SkynetResponse(6, false, utf8("call err x")),
        new SkynetPush(10, 1, "chan", PLAIN), new SkynetRequest(1, "m", "", 1, 0, false, PLAIN));
    assertThat((Object) channel.readOutbound()).isEqualTo(new SkynetResponse(5, true, encrypted(PLAIN)));
    assertThat((Object) channel.readOutbound()).isEqualTo(new SkynetResponse(6, false, utf8("call err x")));
    assertThat((Object) channel.readOutbound()).isEqualTo(new SkynetPush(10, 1, "chan", encrypted(PLAIN)));
    assertThat((Object) channel.readOutbound()).as("a server writes no requests; passed as is")
        .isEqualTo(new SkynetRequest(1, "m", "", 1, 0, false, PLAIN));
  }

  @Test
  void aClientEncryptsRequestsAndDecryptsOkResponsesAndPushesButNotErrors() {
    client();
    channel.writeOutbound(new SkynetRequest(200, "m", "i", 5, 9, true, PLAIN));
    assertThat((Object) channel.readOutbound()).isEqualTo(new SkynetRequest(200, "m", "i", 5, 9, true,
        encrypted(PLAIN)));

    channel.writeInbound(new SkynetResponse(5, true, encrypted(PLAIN)), new SkynetResponse(6, false,
        utf8("call err x")), new SkynetPush(10, 1, "chan", encrypted(PLAIN)));
    assertThat(recorder.messages).containsExactly(new SkynetResponse(5, true, PLAIN),
        new SkynetResponse(6, false, utf8("call err x")), new SkynetPush(10, 1, "chan", PLAIN));
  }

  @Test
  void aCallThatDoesNotDecryptIsAnsweredWithSkynetFlysError() {
    server();
    channel.writeInbound(new SkynetRequest(200, "m", "", 5, 0, true, PLAIN));
    assertThat(recorder.messages).isEmpty();
    assertThat((Object) channel.readOutbound()).isEqualTo(new SkynetResponse(5, false,
        utf8("desdecode err cluster_name = interop_c:7")));
  }

  @Test
  void aSendThatDoesNotDecryptIsDropped() {
    server();
    channel.writeInbound(new SkynetRequest(100, "m", "", 5, 0, false, PLAIN));
    assertThat(recorder.messages).isEmpty();
    assertThat((Object) channel.readOutbound()).isNull();
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void anOkResponseThatDoesNotDecryptFailsItsCall() {
    client();
    channel.writeInbound(new SkynetResponse(5, true, new byte[16]));
    assertThat(recorder.messages).singleElement().isInstanceOfSatisfying(SkynetResponse.class, response -> {
      assertThat(response.session()).isEqualTo(5);
      assertThat(response.ok()).isFalse();
      assertThat(new String(response.payload(), StandardCharsets.UTF_8)).startsWith("desdecode err");
    });
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void aPushThatDoesNotDecryptIsDroppedAndReported() {
    client();
    channel.writeInbound(new SkynetPush(10, 1, "chan", PLAIN));
    assertThat(recorder.messages).isEmpty();
    assertThat(recorder.errors).singleElement().isInstanceOf(SkynetCryptoException.class)
        .extracting(Throwable::getMessage).asString().contains("channel chan");
  }
}
