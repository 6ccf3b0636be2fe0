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
 * reading from it at once and fails the connection when it has not read for the unwritable timeout — and a peer
 * that keeps reading a connection that is refilled as soon as it turns writable keeps it.
 */
class UnwritableTimeoutHandlerTest {

  private static final Duration UNWRITABLE_TIMEOUT = Duration.ofSeconds(2);

  private final List<Throwable> failures = new ArrayList<>();
  private final EmbeddedChannel channel = new EmbeddedChannel();

  /** While on, refills the connection past its high water mark whenever it turns writable, as fragments do. */
  private boolean refilling;

  UnwritableTimeoutHandlerTest() {
    channel.freezeTime();
    channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
    // after the handler under test, as the fragment writer is in a connection's pipeline (Pipelines)
    ChannelInboundHandlerAdapter refill = new ChannelInboundHandlerAdapter() {
      @Override
      public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (refilling && ctx.channel().isWritable()) {
          ctx.write(Unpooled.wrappedBuffer(new byte[32]));
        }
        ctx.fireChannelWritabilityChanged();
      }
    };
    channel.pipeline().addLast(new UnwritableTimeoutHandler(true, UNWRITABLE_TIMEOUT), refill,
        new ChannelInboundHandlerAdapter() {
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

  /** Lets {@code duration} pass in steps of at most 100 ms, running what falls due on the way. */
  private void advance(Duration duration) {
    for (long left = duration.toNanos(); left > 0; ) {
      long step = Math.min(left, TimeUnit.MILLISECONDS.toNanos(100));
      channel.advanceTimeBy(step, TimeUnit.NANOSECONDS);
      channel.runScheduledPendingTasks();
      left -= step;
    }
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

  @Test
  void aPeerThatKeepsReadingAConnectionRefilledAtOnceKeepsIt() {
    refilling = true;
    fillTheOutboundBuffer();
    for (int step = 0; step < 10; step++) {
      advance(UNWRITABLE_TIMEOUT.dividedBy(2));
      // the peer reads everything; the connection is refilled before the handler sees it writable
      channel.flush();
      while (channel.readOutbound() != null) {
        // taken by the peer
      }
      assertThat(channel.isWritable()).isFalse();
    }

    assertThat(failures).as("the peer read throughout").isEmpty();

    // and when it stops reading for the timeout, the connection fails (found within a quarter of it)
    advance(UNWRITABLE_TIMEOUT.minus(UNWRITABLE_TIMEOUT.dividedBy(4)));
    assertThat(failures).isEmpty();
    advance(UNWRITABLE_TIMEOUT.dividedBy(2));
    assertThat(failures).singleElement().asString().contains("the peer has not read for 2000 ms");
  }
}
