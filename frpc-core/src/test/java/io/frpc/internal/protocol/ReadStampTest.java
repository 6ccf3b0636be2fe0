package io.frpc.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.time.FrpcClock;
import io.frpc.time.ManualClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Requests are stamped on arrival with one reading of the clock per read, not one per request. */
class ReadStampTest {

  private final ManualClock time = new ManualClock();
  private final AtomicInteger readings = new AtomicInteger();
  /** A clock that moves a millisecond every time it is read, so that every reading shows. */
  private final FrpcClock ticking = new FrpcClock() {
    @Override
    public long nanoTime() {
      readings.incrementAndGet();
      time.advance(Duration.ofMillis(1));
      return time.nanoTime();
    }

    @Override
    public long currentTimeMillis() {
      return time.currentTimeMillis();
    }

    @Override
    public ScheduledTask schedule(Runnable task, long delay, TimeUnit unit) {
      return time.schedule(task, delay, unit);
    }
  };

  @Test
  void theRequestsOfOneReadShareOneStampAndTheNextReadGetsANewOne() {
    FrameDecoder frames = new FrameDecoder();
    MessageDecoder messages = new MessageDecoder(new PayloadCodec(), 1 << 20, new InboundBudget(1 << 20),
        Duration.ofSeconds(10), ticking);
    frames.handshakeCompleted();
    messages.handshakeCompleted(false);
    EmbeddedChannel reader = new EmbeddedChannel(frames, messages);

    reader.writeInbound(Unpooled.wrappedBuffer(request(1), request(2)));
    reader.writeInbound(request(3));

    InboundRequest first = reader.readInbound();
    InboundRequest second = reader.readInbound();
    InboundRequest third = reader.readInbound();
    assertThat(second.arrivalNanos()).as("same read").isEqualTo(first.arrivalNanos());
    assertThat(third.arrivalNanos()).as("next read").isGreaterThan(first.arrivalNanos());
    assertThat(readings).as("clock readings").hasValue(2);
    first.arguments().release();
    second.arguments().release();
    third.arguments().release();
    assertThat(reader.finish()).isFalse();
  }

  private static ByteBuf request(int id) {
    ByteBuf frame = Frames.request(Unpooled.buffer().alloc(), new RequestEnvelope(0, false, InstanceSelection.BALANCE,
        0, "game_m", null, "ping", 0), new PayloadCodec(), new Object[] {"hi"});
    frame.setInt(RequestEnvelope.REQUEST_ID_OFFSET, id);
    return frame;
  }
}
