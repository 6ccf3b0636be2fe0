package io.frpc.internal.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;

/** Sealed frames open only in the order they were sealed, under the key both sides moved to. */
class FrameCipherTest {

  private static final byte[] KEY = new byte[32];

  static {
    Arrays.fill(KEY, (byte) 7);
  }

  private static byte[] seal(FrameCipher sealing, String text) {
    byte[] plain = text.getBytes(StandardCharsets.UTF_8);
    ByteBuffer sealed = ByteBuffer.allocate(plain.length + FrameCipher.TAG_BYTES);
    // two parts, as a fragment's header and body arrive
    sealing.seal(new ByteBuffer[] {ByteBuffer.wrap(plain, 0, 1), ByteBuffer.wrap(plain, 1, plain.length - 1)},
        sealed);
    return sealed.array();
  }

  private static String open(FrameCipher opening, byte[] sealed) throws AEADBadTagException {
    ByteBuffer plain = ByteBuffer.allocate(sealed.length - FrameCipher.TAG_BYTES);
    opening.open(new ByteBuffer[] {ByteBuffer.wrap(sealed)}, plain);
    return new String(plain.array(), StandardCharsets.UTF_8);
  }

  @Test
  void framesOpenInTheOrderTheyWereSealed() throws Exception {
    FrameCipher sealing = FrameCipher.sealing(KEY);
    FrameCipher opening = FrameCipher.opening(KEY);

    for (int i = 0; i < 5; i++) {
      assertThat(open(opening, seal(sealing, "frame " + i))).isEqualTo("frame " + i);
    }
  }

  @Test
  void aReplayedFrameFails() throws Exception {
    FrameCipher sealing = FrameCipher.sealing(KEY);
    FrameCipher opening = FrameCipher.opening(KEY);
    byte[] first = seal(sealing, "pay 100 gold");
    open(opening, first);

    assertThatThrownBy(() -> open(opening, first)).isInstanceOf(AEADBadTagException.class);
  }

  @Test
  void aDroppedOrReorderedFrameFails() {
    FrameCipher sealing = FrameCipher.sealing(KEY);
    seal(sealing, "dropped");
    byte[] second = seal(sealing, "second");

    assertThatThrownBy(() -> open(FrameCipher.opening(KEY), second)).isInstanceOf(AEADBadTagException.class);
  }

  @Test
  void oneFlippedBitFails() {
    byte[] sealed = seal(FrameCipher.sealing(KEY), "hello");
    sealed[2] ^= 0x10;

    assertThatThrownBy(() -> open(FrameCipher.opening(KEY), sealed)).isInstanceOf(AEADBadTagException.class);
  }

  @Test
  void bothSidesMoveToTheNextKeyTogether() throws Exception {
    FrameCipher sealing = FrameCipher.withKeyLimit(true, KEY, 10);
    FrameCipher opening = FrameCipher.withKeyLimit(false, KEY, 10);
    byte[] underFirstKey = seal(FrameCipher.sealing(KEY), "a frame of more than a few blocks, to pass the limit");

    for (int i = 0; i < 20; i++) {
      assertThat(open(opening, seal(sealing, "a frame of more than a few blocks, to pass the limit")))
          .startsWith("a frame");
    }
    assertThat(sealing.sequence()).isEqualTo(20);
    byte[] later = seal(sealing, "a frame of more than a few blocks, to pass the limit");
    assertThat(Arrays.copyOfRange(later, 0, 8)).as("another key seals the same text differently")
        .isNotEqualTo(Arrays.copyOfRange(underFirstKey, 0, 8));
  }
}
