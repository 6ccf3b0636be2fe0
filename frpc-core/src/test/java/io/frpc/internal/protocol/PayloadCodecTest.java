package io.frpc.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.frpc.FrpcBytes;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectReader;

/** Arguments a peer sends are bound or refused, never read past their end (found by PipelineFuzzTest). */
class PayloadCodecTest {

  private final PayloadCodec codec = new PayloadCodec();
  private final ObjectReader[] twoInts = {codec.reader(int.class), codec.reader(int.class)};

  /**
   * A HELLO found by the fuzz test: an unknown property, then an array that the object never closes
   * after. Jackson's record binding loops forever over the buffered unknown properties of such input;
   * an unauthenticated peer could have held an I/O thread with one 100-byte frame.
   */
  @Test
  void aControlRecordWhoseObjectNeverClosesIsRefusedAtOnce() {
    byte[] hello = java.util.HexFormat.of().parseHex("3a290a04fa8e70726f746f636f6c56657273696f6ec2836e616d65"
        + "4366757a7a816964c285626f2f74496443626f6f748d6d61784d65737361676553697a652402000080876665ea0db9a865"
        + "73f84570756273756244647261698fdb20ff8ceed8ef6ef9");
    assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
        assertThatThrownBy(() -> codec.readControl(new Payload(hello, 0, hello.length), Handshake.Hello.class))
            .isInstanceOf(tools.jackson.core.JacksonException.class));
  }

  /** Up to the limit a message decodes; one token more and it is refused, as arguments and as a value. */
  @Test
  void aMessageOfMoreTokensThanTheLimitIsRefused() {
    PayloadCodec limited = new PayloadCodec(1_000);
    ObjectReader list = limited.reader(new TypeReference<List<Long>>() { });
    // the arguments' array, the list's start, its values, the list's end and the array's end
    byte[] atLimit = limited.controlBytes(new Object[] {Collections.nCopies(996, 1_000L)});
    byte[] beyond = limited.controlBytes(new Object[] {Collections.nCopies(997, 1_000L)});

    assertThat(limited.readArguments(new Payload(atLimit, 0, atLimit.length), new ObjectReader[] {list},
        FrpcBytes::close)[0]).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).hasSize(996);
    assertThatThrownBy(() -> limited.readArguments(new Payload(beyond, 0, beyond.length), new ObjectReader[] {list},
        FrpcBytes::close))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than 1000 tokens (frpc.max-message-tokens)");
    byte[] value = limited.controlBytes(Collections.nCopies(1_000, 1_000L));
    assertThatThrownBy(() -> limited.readValue(new Payload(value, 0, value.length), list))
        .isInstanceOf(JacksonException.class)
        .hasMessageContaining("frpc.max-message-tokens");
  }

  @Test
  void aByteArrayIsOneToken() {
    PayloadCodec limited = new PayloadCodec(3);
    byte[] bytes = limited.controlBytes(List.of(new byte[1 << 20]));

    List<byte[]> read = limited.readValue(new Payload(bytes, 0, bytes.length),
        limited.reader(new TypeReference<List<byte[]>>() { }));
    assertThat(read).singleElement().satisfies(value -> assertThat(value).hasSize(1 << 20));
  }

  @Test
  void frpcsOwnRecordsAreReadWhateverTheLimit() {
    PayloadCodec limited = new PayloadCodec(1);
    byte[] error = limited.controlBytes(new RemoteError(1, "java.lang.IllegalStateException", "broken", "at here"));

    assertThat(limited.readControl(new Payload(error, 0, error.length), RemoteError.class).message())
        .isEqualTo("broken");
  }

  @Test
  void aLimitBelowOneTokenIsRefused() {
    assertThatThrownBy(() -> new PayloadCodec(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max-message-tokens must be positive but was 0");
  }

  @Test
  void extraArgumentsEndedBySmilesEndMarkerAreRefusedAtOnce() {
    byte[] three = codec.controlBytes(new int[] {1, 2, 3});
    // 0xFF, Smile's end-of-content marker, in place of the array's close: the parser reports no more tokens
    byte[] ended = three.clone();
    ended[ended.length - 1] = (byte) 0xFF;

    assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
        assertThatThrownBy(() -> codec.readArguments(new Payload(ended, 0, ended.length), twoInts, FrpcBytes::close))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("input ends inside an array"));
  }

  @Test
  void extraArgumentsInATruncatedArrayAreRefused() {
    byte[] three = codec.controlBytes(new int[] {1, 2, 3});
    byte[] truncated = Arrays.copyOf(three, three.length - 1);

    assertThatThrownBy(() -> codec.readArguments(new Payload(truncated, 0, truncated.length), twoInts,
        FrpcBytes::close)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tooFewArgumentsInATruncatedArrayAreRefused() {
    byte[] one = codec.controlBytes(new int[] {1});
    byte[] truncated = Arrays.copyOf(one, one.length - 1);

    assertThatThrownBy(() -> codec.readArguments(new Payload(truncated, 0, truncated.length), twoInts,
        FrpcBytes::close)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void extraArgumentsAreCountedInTheMessage() {
    byte[] four = codec.controlBytes(new Object[] {1, 2, new int[] {3, 4}, 5});

    assertThatThrownBy(() -> codec.readArguments(new Payload(four, 0, four.length), twoInts, FrpcBytes::close))
        .hasMessageContaining("expected 2 argument(s) but got 4");
    assertThat(codec.readArguments(new Payload(four, 0, four.length), new ObjectReader[] {codec.reader(int.class),
        codec.reader(int.class), codec.reader(int[].class), codec.reader(int.class)}, FrpcBytes::close)).hasSize(4);
  }
}
