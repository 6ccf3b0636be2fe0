package io.frpc.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A peer that stops reading, on the connection's event loop (the embedded channel's time): the serving side stops
 * reading from it at once and fails the connection when it has not read for the unwritable timeout.
 */
class UnwritableTimeoutHandlerTest {

  private static final Duration UNWRITABLE_TIMEOUT = Duration.ofSeconds(2);

  private final List<Throwable> failures = new ArrayList<>();
  private final EmbeddedChannel channel = new EmbeddedChannel();

  UnwritableTimeoutHandlerTest() {
    channel.freezeTime();
    channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
    channel.pipeline().addLast(new UnwritableTimeoutHandler(true, UNWRITABLE_TIMEOUT), new ChannelInboundHandlerAdapter() {
      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failures.add(cause);
      }
    });
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private void advance(Duration step) {
    channel.advanceTimeBy(step.toNanos(), TimeUnit.NANOSECONDS);
    channel.runScheduledPendingTasks();
  }

  /** Queues more than the high water mark without flushing: the peer "does not read". */
  private void fillTheOutboundBuffer() {
    channel.write(Unpooled.wrappedBuffer(new byte[32]));
    assertThat(channel.isWritable()).isFalse();
  }

  @Test
  void aPeerThatHasNotReadForTheUnwritableTimeoutFailsTheConnectionThenAndNotBefore() {
    fillTheOutboundBuffer();
    assertThat(channel.config().isAutoRead()).as("the serving side stops reading at once").isFalse();

    advance(UNWRITABLE_TIMEOUT.minusMillis(1));
    assertThat(failures).isEmpty();
    advance(Duration.ofMillis(1));

    assertThat(failures).singleElement().asString()
        .contains("the peer has not read for 2000 ms (frpc.unwritable-timeout)");
  }

  @Test
  void aPeerThatReadsBeforeTheTimeoutKeepsTheConnection() {
    fillTheOutboundBuffer();
    advance(UNWRITABLE_TIMEOUT.minusMillis(1));

    channel.flush();
    assertThat(channel.isWritable()).isTrue();
    assertThat(channel.config().isAutoRead()).as("reading again").isTrue();
    advance(UNWRITABLE_TIMEOUT.multipliedBy(3));

    assertThat(failures).isEmpty();
  }
}
