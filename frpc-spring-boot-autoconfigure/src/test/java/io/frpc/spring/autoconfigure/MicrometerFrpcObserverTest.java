package io.frpc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Retries and retries the budget refused become counters tagged by node, module, command (and kind). */
class MicrometerFrpcObserverTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MicrometerFrpcObserver observer = new MicrometerFrpcObserver(registry);

  @Test
  void retriesAreCountedByKind() {
    observer.callRetried("game", "room", "join", "FAILOVER");
    observer.callRetried("game", "room", "join", "FAILOVER");
    observer.callRetried("game", "room", "join", "HEDGE");

    assertThat(registry.get("frpc.client.retries").tags("node", "game", "module", "room", "command", "join", "kind",
        "FAILOVER").counter().count()).isEqualTo(2);
    assertThat(registry.get("frpc.client.retries").tag("kind", "HEDGE").counter().count()).isEqualTo(1);
  }

  @Test
  void retriesTheBudgetRefusedAreCounted() {
    observer.retryDenied("game", "room", "join");

    assertThat(registry.get("frpc.client.retries.denied").tags("node", "game", "module", "room", "command", "join")
        .counter().count()).isEqualTo(1);
  }
}
