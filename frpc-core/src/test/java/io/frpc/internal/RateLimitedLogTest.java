package io.frpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.frpc.testing.CapturedLogs;
import io.frpc.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A line a peer can provoke at will is logged at most once per interval of the node's clock. */
class RateLimitedLogTest {

  private static final String LOGGER = "io.frpc.rate-limited-test";

  private final ManualClock clock = new ManualClock();
  private final CapturedLogs logs = CapturedLogs.of(LOGGER);
  private final RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(LOGGER), Duration.ofMinutes(1),
      clock);

  @AfterEach
  void closeLogs() {
    logs.close();
  }

  @Test
  void theFirstLineIsLoggedAtOnce() {
    log.log("refused 10.0.0.1");

    assertThat(logs.messages(Level.WARN)).containsExactly("refused 10.0.0.1");
  }

  @Test
  void linesWithinTheIntervalAreHeldBackAndTheNextLineAfterItCountsThem() {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(LOGGER)).setLevel(Level.DEBUG);
    try {
      log.log("refused 10.0.0.1");
      clock.advance(Duration.ofSeconds(30));
      log.log("refused 10.0.0.2");
      clock.advance(Duration.ofSeconds(30).minusNanos(1));
      log.log("refused 10.0.0.3");
      assertThat(logs.messages(Level.WARN)).as("one nanosecond before the minute").hasSize(1);
      assertThat(logs.messages(Level.DEBUG)).as("held back, at DEBUG")
          .containsExactly("refused 10.0.0.2", "refused 10.0.0.3");

      clock.advance(Duration.ofNanos(1));
      log.log("refused 10.0.0.4");

      assertThat(logs.messages(Level.WARN)).containsExactly("refused 10.0.0.1",
          "refused 10.0.0.4 (2 similar line(s) held back since the last)");
    } finally {
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(LOGGER)).setLevel(null);
    }
  }

  @Test
  void theIntervalStartsAgainAtEachLineLogged() {
    log.log("a");
    clock.advance(Duration.ofSeconds(90));
    log.log("b");
    clock.advance(Duration.ofSeconds(59));
    log.log("c");
    clock.advance(Duration.ofSeconds(1));
    log.log("d");

    assertThat(logs.messages(Level.WARN)).containsExactly("a", "b", "d (1 similar line(s) held back since the last)");
  }

  @Test
  void aSummaryReportsTheLinesStillHeldBackWithTheLatestOnceAndNothingWhenNoneAre() {
    log.summarize();
    assertThat(logs.events()).as("nothing held back").isEmpty();

    log.log("refused 10.0.0.1");
    log.log("refused 10.0.0.2");
    log.log("refused 10.0.0.3");
    log.summarize();
    log.summarize();

    assertThat(logs.messages(Level.WARN)).containsExactly("refused 10.0.0.1",
        "2 similar line(s) held back since the last; the latest: refused 10.0.0.3");
    clock.advance(Duration.ofMinutes(1));
    log.log("refused 10.0.0.4");
    assertThat(logs.messages(Level.WARN)).as("the summary reported them: not counted again").last()
        .isEqualTo("refused 10.0.0.4");
  }

  @Test
  void theLevelIsTheLogs() {
    RateLimitedLog info = new RateLimitedLog(LoggerFactory.getLogger(LOGGER), org.slf4j.event.Level.INFO,
        Duration.ofMinutes(1), clock);
    info.log("connection reset");

    assertThat(logs.messages(Level.INFO)).containsExactly("connection reset");
  }
}
