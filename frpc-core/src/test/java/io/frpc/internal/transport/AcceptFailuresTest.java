package io.frpc.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.frpc.testing.CapturedLogs;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A listener that cannot accept (out of descriptors) pauses for a second and says so once a minute. */
class AcceptFailuresTest {

  @Test
  void aFailedAcceptPausesAcceptingForASecondAndLogsOneLineAMinute() {
    try (CapturedLogs logs = CapturedLogs.of("io.frpc.accept-test")) {
      EmbeddedChannel listener = new EmbeddedChannel(new AcceptFailures(LoggerFactory.getLogger("io.frpc.accept-test")));
      listener.freezeTime();

      listener.pipeline().fireExceptionCaught(new IOException("Too many open files"));
      assertThat(listener.config().isAutoRead()).as("paused").isFalse();
      listener.advanceTimeBy(AcceptFailures.PAUSE_MILLIS - 1, TimeUnit.MILLISECONDS);
      listener.runScheduledPendingTasks();
      assertThat(listener.config().isAutoRead()).isFalse();
      listener.advanceTimeBy(1, TimeUnit.MILLISECONDS);
      listener.runScheduledPendingTasks();
      assertThat(listener.config().isAutoRead()).as("accepting again").isTrue();

      for (int i = 0; i < 20; i++) {
        listener.pipeline().fireExceptionCaught(new IOException("Too many open files"));
      }
      assertThat(logs.messages(Level.WARN)).hasSize(1).first().asString()
          .contains("Too many open files", "ulimit -n", "frpc.server.max-connections");
      listener.checkException();
      listener.finishAndReleaseAll();
    }
  }
}
