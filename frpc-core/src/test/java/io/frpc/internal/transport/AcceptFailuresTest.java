package io.frpc.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.frpc.testing.CapturedLogs;
import io.frpc.time.ManualClock;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A listener that cannot accept (out of descriptors) pauses for a second and says so once a minute. The pause
 * runs on the listener's event loop (the embedded channel's time), the log's minute on the node's clock.
 */
class AcceptFailuresTest {

  private static final long PAUSE_MILLIS = 1000;

  private final ManualClock clock = new ManualClock();

  @Test
  void thePauseIsTheBackOffsFixedSecond() {
    assertThat(AcceptFailures.PAUSE.delayNanos(1, new SplittableRandom(1)))
        .isEqualTo(TimeUnit.MILLISECONDS.toNanos(PAUSE_MILLIS));
    assertThat(AcceptFailures.PAUSE.delayNanos(50, new SplittableRandom(2)))
        .as("the same after many failures, without jitter").isEqualTo(TimeUnit.MILLISECONDS.toNanos(PAUSE_MILLIS));
  }

  @Test
  void aFailedAcceptPausesAcceptingForASecondAndLogsOneLineAMinute() {
    try (CapturedLogs logs = CapturedLogs.of("io.frpc.accept-test")) {
      EmbeddedChannel listener = new EmbeddedChannel(new AcceptFailures(LoggerFactory.getLogger("io.frpc.accept-test"),
          clock));
      listener.freezeTime();

      listener.pipeline().fireExceptionCaught(new IOException("Too many open files"));
      assertThat(listener.config().isAutoRead()).as("paused").isFalse();
      listener.advanceTimeBy(PAUSE_MILLIS - 1, TimeUnit.MILLISECONDS);
      listener.runScheduledPendingTasks();
      assertThat(listener.config().isAutoRead()).isFalse();
      listener.advanceTimeBy(1, TimeUnit.MILLISECONDS);
      listener.runScheduledPendingTasks();
      assertThat(listener.config().isAutoRead()).as("accepting again").isTrue();

      for (int i = 0; i < 20; i++) {
        listener.pipeline().fireExceptionCaught(new IOException("Too many open files"));
      }
      assertThat(logs.messages(Level.WARN)).hasSize(1).first().asString()
          .contains("Too many open files", "pausing for 1000 ms", "ulimit -n", "frpc.server.max-connections");

      clock.advance(Duration.ofSeconds(59));
      listener.pipeline().fireExceptionCaught(new IOException("Too many open files"));
      assertThat(logs.messages(Level.WARN)).as("within the minute").hasSize(1);
      clock.advance(Duration.ofSeconds(1));
      listener.pipeline().fireExceptionCaught(new IOException("Too many open files"));
      assertThat(logs.messages(Level.WARN)).hasSize(2).last().asString()
          .contains("Too many open files", "(21 similar line(s) held back since the last)");
      listener.checkException();
      listener.finishAndReleaseAll();
    }
  }
}
