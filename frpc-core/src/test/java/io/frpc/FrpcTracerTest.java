package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.frpc.observability.FrpcTracer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A call's trace context travels in its envelope and the command runs in it. */
class FrpcTracerTest {

  /** Handler of module "svc". */
  public static final class Service {
    public int echo(int value) {
      return value;
    }

    public void fail() {
      throw new IllegalStateException("no");
    }
  }

  /** Hands out contexts "trace-N" and records what each side saw. */
  private static final class RecordingTracer implements FrpcTracer {
    final AtomicInteger next = new AtomicInteger();
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public ClientSpan callStarted(String nodeName, String module, String command) {
      String context = "trace-" + next.incrementAndGet();
      events.add("start " + context + " " + module + "." + command);
      return new ClientSpan() {
        @Override
        public String traceContext() {
          return context;
        }

        @Override
        public void end(Throwable failure) {
          events.add("end " + context + (failure == null ? "" : " " + failure.getClass().getSimpleName()));
        }
      };
    }

    @Override
    public ServerScope requestStarted(String traceContext, String module, String command) {
      events.add("serve " + traceContext + " " + module + "." + command);
      return failure -> events.add("served " + traceContext + (failure == null ? "" : " "
          + failure.getClass().getSimpleName()));
    }
  }

  private final RecordingTracer clientTracer = new RecordingTracer();
  private final RecordingTracer serverTracer = new RecordingTracer();
  private TestNode game1;
  private TestNode game2;
  private TestNode caller;

  @AfterEach
  void close() {
    caller.close();
    game1.close();
    game2.close();
  }

  @Test
  void theCallersContextReachesTheCommandAndBothSpansEndWithTheOutcome() throws Exception {
    game1 = TestNode.inJvm("game", 1).module("svc", null, 1, i -> new Service())
        .configure(b -> b.tracer(serverTracer)).start();
    game2 = TestNode.inJvm("game", 2).module("svc", null, 1, i -> new Service())
        .configure(b -> b.tracer(serverTracer)).start();
    caller = TestNode.inJvm("caller", 1).configure(b -> b.tracer(clientTracer)).start().connectedTo(game1)
        .connectedTo(game2);
    ModuleCall svc = caller.frpc.module("game", "svc").node(1);

    assertThat(svc.call("echo", Integer.class, 1)).isEqualTo(1);
    assertThatThrownBy(() -> svc.call("fail", Void.class)).isInstanceOf(RemoteCallException.class);
    assertThat(svc.callAsync("echo", Integer.class, 2).get(5, TimeUnit.SECONDS)).isEqualTo(2);
    caller.frpc.module("game", "svc").allNodes().call("echo", Integer.class, 3);

    await().atMost(Duration.ofSeconds(5)).until(() -> serverTracer.events.size() == 10);
    assertThat(clientTracer.events).containsExactly("start trace-1 svc.echo", "end trace-1",
        "start trace-2 svc.fail", "end trace-2 RemoteCallException", "start trace-3 svc.echo", "end trace-3",
        "start trace-4 svc.echo", "end trace-4");
    assertThat(serverTracer.events).containsSubsequence("serve trace-1 svc.echo", "served trace-1",
        "serve trace-2 svc.fail", "served trace-2 IllegalStateException", "serve trace-3 svc.echo",
        "served trace-3");
    // an all-nodes call is one client span whose context reaches every node
    assertThat(serverTracer.events).filteredOn(e -> e.startsWith("serve trace-4")).hasSize(2);
  }

  @Test
  void withoutATracerOnTheCallerTheCommandRunsWithoutAContext() {
    game1 = TestNode.inJvm("game", 1).module("svc", null, 1, i -> new Service())
        .configure(b -> b.tracer(serverTracer)).start();
    game2 = TestNode.inJvm("game", 2).start();
    caller = TestNode.inJvm("caller", 1).start().connectedTo(game1);

    assertThat(caller.frpc.module("game", "svc").call("echo", Integer.class, 1)).isEqualTo(1);
    assertThat(serverTracer.events).containsExactly("serve null svc.echo", "served null");
  }
}
