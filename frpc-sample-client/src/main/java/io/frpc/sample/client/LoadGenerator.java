package io.frpc.sample.client;

import io.frpc.FrpcTemplate;
import io.frpc.ModuleCall;
import io.frpc.RemoteCallException;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Load for {@code ./demo.sh observability}: after the demo scenario, 4 threads call {@code test_m} for
 * {@code sample.load.duration}, pausing 5 ms after each call, each call in a trace of its own so that Zipkin shows it crossing nodes. Most
 * calls are pings to either node; some carry 4 KiB, fail in the command ({@code COMMAND_FAILED}) or name a
 * command that does not exist ({@code UNKNOWN_COMMAND}), so every panel of the Grafana dashboard has data.
 */
@Component
@ConditionalOnProperty("sample.load.duration")
class LoadGenerator {

  private static final int THREADS = 4;
  /** Between two calls of a thread: at most a few hundred traces a second, which one Zipkin in memory keeps up with. */
  private static final long PAUSE_MILLIS = 5;
  private static final List<Integer> FOUR_KIB = IntStream.range(0, 1024).boxed().toList();

  private final ModuleCall testM;
  private final Tracer tracer;
  private final Duration duration;

  LoadGenerator(FrpcTemplate frpc, Tracer tracer, @Value("${sample.load.duration}") Duration duration) {
    this.testM = frpc.module("cluster_server", "test_m");
    this.tracer = tracer;
    this.duration = duration;
  }

  /** Calls until the duration has passed, then prints how many calls were made. */
  void run() throws InterruptedException {
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long[] calls = new long[THREADS];
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int slot = t;
      Thread thread = new Thread(() -> {
        try {
          while (System.nanoTime() < end) {
            callInATrace(calls[slot]++);
            Thread.sleep(PAUSE_MILLIS);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "load-" + t);
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    System.out.println("Load: " + Arrays.stream(calls).sum() + " calls in "
        + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s");
  }

  private void callInATrace(long n) {
    Span span = tracer.nextSpan().name("load").start();
    try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
      if (n % 100 == 1) {
        testM.call("call_error_test", String.class);
      } else if (n % 100 == 2) {
        testM.call("no_such_command", String.class);
      } else if (n % 10 == 3) {
        testM.call("large_msg", List.class, FOUR_KIB);
      } else {
        testM.node(1 + (int) (n % 2)).call("ping", String.class);
      }
    } catch (RemoteCallException expected) {
      // the failing calls are part of the load: they show in the error panels
    } finally {
      span.end();
    }
  }
}
