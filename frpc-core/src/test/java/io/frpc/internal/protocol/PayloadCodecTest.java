package io.frpc.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectReader;

/** Arguments a peer sends are bound or refused, never read past their end (found by PipelineFuzzTest). */
class PayloadCodecTest {

  private final PayloadCodec codec = new PayloadCodec();
  private final ObjectReader[] twoInts = {codec.reader(int.class), codec.reader(int.class)};

  @Test
  void extraArgumentsEndedBySmilesEndMarkerAreRefusedAtOnce() {
    byte[] three = codec.controlBytes(new int[] {1, 2, 3});
    // 0xFF, Smile's end-of-content marker, in place of the array's close: the parser reports no more tokens
    byte[] ended = three.clone();
    ended[ended.length - 1] = (byte) 0xFF;

    assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
        assertThatThrownBy(() -> codec.readArguments(new Payload(ended, 0, ended.length), twoInts))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("end before their array closes"));
  }

  @Test
  void extraArgumentsInATruncatedArrayAreRefused() {
    byte[] three = codec.controlBytes(new int[] {1, 2, 3});
    byte[] truncated = Arrays.copyOf(three, three.length - 1);

    assertThatThrownBy(() -> codec.readArguments(new Payload(truncated, 0, truncated.length), twoInts))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tooFewArgumentsInATruncatedArrayAreRefused() {
    byte[] one = codec.controlBytes(new int[] {1});
    byte[] truncated = Arrays.copyOf(one, one.length - 1);

    assertThatThrownBy(() -> codec.readArguments(new Payload(truncated, 0, truncated.length), twoInts))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void extraArgumentsAreCountedInTheMessage() {
    byte[] four = codec.controlBytes(new Object[] {1, 2, new int[] {3, 4}, 5});

    assertThatThrownBy(() -> codec.readArguments(new Payload(four, 0, four.length), twoInts))
        .hasMessageContaining("expected 2 argument(s) but got 4");
    assertThat(codec.readArguments(new Payload(four, 0, four.length), new ObjectReader[] {codec.reader(int.class),
        codec.reader(int.class), codec.reader(int[].class), codec.reader(int.class)})).hasSize(4);
  }
}
