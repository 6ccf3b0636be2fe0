package io.frpc.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NameCacheTest {

  private final NameCache names = new NameCache();

  @Test
  void aNameReadAgainIsTheSameStringAndTheReaderIndexMovesPastIt() {
    String first = read("player");
    ByteBuf in = Unpooled.copiedBuffer("player|rest", StandardCharsets.UTF_8);
    assertThat(names.read(in, 6)).isSameAs(first).isEqualTo("player");
    assertThat(in.readerIndex()).isEqualTo(6);
  }

  @Test
  void everyNameReadsAsItsOwnBytesHoweverManyShareASlot() {
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 1_000; i++) {
        String name = "command-" + i + "-ü";
        assertThat(read(name)).isEqualTo(name);
      }
    }
    // two names of the same length and hash, hence of one slot
    assertThat(read("Aa")).isEqualTo("Aa");
    assertThat(read("BB")).isEqualTo("BB");
    assertThat(read("Aa")).isEqualTo("Aa");
  }

  private String read(String name) {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    return names.read(Unpooled.wrappedBuffer(bytes), bytes.length);
  }
}
