package io.frpc.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.NoNodeConnectedException;
import io.frpc.internal.transport.OutgoingConnection;
import io.frpc.time.ManualClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A caller waiting for a node of a name gives up exactly when the connect wait has passed on the node's clock. */
class NodeGroupTest {

  private static final Duration CONNECT_WAIT = Duration.ofSeconds(3);

  private final ManualClock clock = new ManualClock();
  private final NodeGroup group = new NodeGroup("game", clock);

  @Test
  void aWaitingCallerFailsWithNoNodeConnectedWhenTheConnectWaitHasPassedAndNotBefore() {
    CompletableFuture<OutgoingConnection> waiting = group.await(null, CONNECT_WAIT, clock);

    clock.advance(CONNECT_WAIT.minusMillis(1));
    assertThat(waiting).isNotDone();
    clock.advance(Duration.ofMillis(1));

    assertThat(waiting.handle((connection, error) -> error).join()).isInstanceOf(NoNodeConnectedException.class);
  }

  @Test
  void aWaitOfZeroFailsAtOnceWithoutATimer() {
    CompletableFuture<OutgoingConnection> waiting = group.await(2, Duration.ZERO, clock);

    assertThat(waiting).isCompletedExceptionally();
    assertThat(clock.pendingTasks()).isZero();
  }
}
