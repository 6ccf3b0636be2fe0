package io.frpc.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Client JVM of the load generator:
 * {@code BenchClient <system> <port> <nodes> <warmup-s> <measure-s> <reps> <scenario>...}. Scenarios:
 * {@code pingpong-<size>} (one call outstanding, the next issued where the reply completes),
 * {@code blocking-<size>} (one call outstanding, the caller's thread waiting),
 * {@code throughput-<size>-<inflight>}, {@code large-<size>-<inflight>}, {@code seed-<concurrency>-<size>},
 * {@code fanout-<size>} (frpc only: all nodes vs one). A first, longer warm-up lets the JIT settle; each
 * scenario then warms up once and measures {@code reps} windows. Prints one {@code RESULT} line per window.
 */
public final class BenchClient {

  private static final int SMALL = 32;
  /** Ping-pong warms up with at least this many calls. */
  private static final long PINGPONG_WARMUP_CALLS = 50_000;

  private BenchClient() {
  }

  public static void main(String[] args) throws Exception {
    String system = args[0];
    int port = Integer.parseInt(args[1]);
    int nodes = Integer.parseInt(args[2]);
    Duration warmup = Duration.ofSeconds(Long.parseLong(args[3]));
    Duration measure = Duration.ofSeconds(Long.parseLong(args[4]));
    int reps = Integer.parseInt(args[5]);
    try (EchoClient client = connect(system, port, nodes)) {
      byte[] small = new byte[SMALL];
      // JIT warm-up shared by all scenarios: hundreds of thousands of calls before anything is measured.
      Window window = new Window();
      Scenarios.continuous(window, system, "jit-warmup", () -> client.echo(small), 64, 0, warmup.multipliedBy(2),
          Duration.ofSeconds(1), 1);
      for (int i = 6; i < args.length; i++) {
        for (Result result : run(window, system, client, args[i], warmup, measure, reps)) {
          System.out.println(result.line());
          System.out.flush();
        }
      }
    }
    System.exit(0);
  }

  private static EchoClient connect(String system, int port, int nodes) throws Exception {
    return switch (system) {
      case "netty" -> NettyEcho.connect(port);
      case "grpc" -> GrpcEcho.connect(port, true);
      case "grpc-default" -> GrpcEcho.connect(port, false);
      case "frpc", "frpc-secret", "frpc-tls", "frpc-metrics", "frpc-tracing", "frpc-typed" -> FrpcEcho.connect(system, port, nodes, "echo");
      case "frpc-concurrent" -> FrpcEcho.connect(system, port, nodes, "echo_concurrent");
      case "frpc-direct", "frpc-direct-nomdc" -> FrpcEcho.connect(system, port, nodes, "echo_direct");
      case "frpc-bytes", "frpc-bytes-256k" -> FrpcEcho.connect(system, port, nodes, "echo_bytes");
      default -> throw new IllegalArgumentException("unknown system " + system);
    };
  }

  private static List<Result> run(Window window, String system, EchoClient client, String scenario,
      Duration warmup, Duration measure, int reps) {
    String[] p = scenario.split("-");
    return switch (p[0]) {
      case "pingpong" -> {
        byte[] payload = new byte[Integer.parseInt(p[1])];
        yield Scenarios.continuous(window, system, scenario, () -> window.counted(payload.length,
            client.echo(payload)), 1, PINGPONG_WARMUP_CALLS, warmup, measure, reps);
      }
      case "blocking" -> {
        byte[] payload = new byte[Integer.parseInt(p[1])];
        yield Scenarios.blocking(window, system, scenario, () -> window.counted(payload.length,
            CompletableFuture.completedFuture(client.echoAndWait(payload))), warmup, measure, reps);
      }
      case "throughput" -> {
        byte[] payload = new byte[Integer.parseInt(p[1])];
        yield Scenarios.continuous(window, system, scenario, () -> window.counted(payload.length,
            client.echo(payload)), Integer.parseInt(p[2]), 0, warmup, measure, reps);
      }
      case "large" -> {
        byte[] large = new byte[Integer.parseInt(p[1])];
        byte[] small = new byte[SMALL];
        yield Scenarios.underLargeMessage(window, system, scenario, () -> window.counted(small.length,
            client.echo(small)), () -> window.counted(large.length, client.echo(large)),
            Integer.parseInt(p[2]), warmup, measure, reps);
      }
      case "seed" -> {
        byte[] payload = new byte[Integer.parseInt(p[2])];
        yield Scenarios.burst(window, system, scenario, key -> window.counted(payload.length,
            client.echoByKey(key, payload)), Integer.parseInt(p[1]),
            warmup, measure, reps);
      }
      case "fanout" -> {
        FrpcEcho.Client frpc = (FrpcEcho.Client) client;
        byte[] payload = new byte[Integer.parseInt(p[1])];
        List<Result> results = new ArrayList<>(Scenarios.blocking(window, system, scenario + "-one",
            () -> frpc.echoAndWait(payload), warmup, measure, reps));
        results.addAll(Scenarios.blocking(window, system, scenario + "-all", () -> frpc.echoOnAll(payload).join(), warmup,
            measure, reps));
        yield results;
      }
      default -> throw new IllegalArgumentException("unknown scenario " + scenario);
    };
  }
}
