package io.frpc.skynet.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The dedupe of push sessions of one watch connection: skynet_fly's one-minute window, bounded. */
class PushSessionsTest {

  private final ManualClock clock = new ManualClock();

  @Test
  void aSessionSeenWithinTheWindowIsADuplicate() {
    PushSessions sessions = new PushSessions(clock, PushSessions.WINDOW_NANOS, 100);

    assertThat(sessions.firstSeen(5)).isTrue();
    clock.advance(Duration.ofSeconds(59));
    assertThat(sessions.firstSeen(5)).isFalse();
    assertThat(sessions.firstSeen(6)).isTrue();
  }

  @Test
  void aSessionIsForgottenAMinuteAfterItWasFirstSeen() {
    PushSessions sessions = new PushSessions(clock, PushSessions.WINDOW_NANOS, 100);
    sessions.firstSeen(5);

    clock.advance(Duration.ofSeconds(60));

    assertThat(sessions.firstSeen(5)).isTrue();
  }

  @Test
  void itHoldsAtMostItsBoundForgettingTheOldestFirst() {
    PushSessions sessions = new PushSessions(clock, PushSessions.WINDOW_NANOS, 3);
    sessions.firstSeen(1);
    sessions.firstSeen(2);
    sessions.firstSeen(3);
    sessions.firstSeen(4);

    assertThat(sessions.firstSeen(1)).as("forgotten").isTrue();
    assertThat(sessions.firstSeen(4)).as("kept").isFalse();
  }
}
