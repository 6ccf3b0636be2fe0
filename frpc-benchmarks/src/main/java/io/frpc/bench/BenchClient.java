package io.frpc.bench;

import java.time.Duration;

/**
 * Client JVM of the load generator:
 * {@code BenchClient <system> <port> <nodes> <warmup-s> <measure-s> <reps> <scenario>...}. Scenarios:
 * {@code pingpong-<size>}, {@code throughput-<size>-<inflight>}, {@code large-<size>-<inflight>},
 * {@code seed-<concurrency>-<size>}, {@code fanout-<size>} (frpc only: all nodes vs one). A first,
 * longer warm-up lets the JIT settle. Prints one {@code RESULT} line per repetition.
 */
public final class BenchClient {

  private static final int SMALL = 32;

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
      // JIT warm-up shared by all scenarios: tens of thousands of calls before anything is measured.
      Scenarios.throughput(system, "jit-warmup", 0, () -> client.echo(small), 64, warmup.multipliedBy(2),
          Duration.ofSeconds(1));
      for (int i = 6; i < args.length; i++) {
        for (int rep = 1; rep <= reps; rep++) {
          for (Result result : run(system, client, args[i], rep, warmup, measure)) {
            System.out.println(result.line());
            System.out.flush();
          }
        }
      }
    }
    System.exit(0);
  }

  private static EchoClient connect(String system, int port, int nodes) throws Exception {
    return switch (system) {
      case "netty" -> NettyEcho.connect(port);
      case "grpc" -> GrpcEcho.connect(port);
      case "frpc", "frpc-secret", "frpc-tls", "frpc-metrics", "frpc-tracing", "frpc-typed" -> FrpcEcho.connect(system, port, nodes, "echo");
      case "frpc-concurrent" -> FrpcEcho.connect(system, port, nodes, "echo_concurrent");
      default -> throw new IllegalArgumentException("unknown system " + system);
    };
  }

  private static Result[] run(String system, EchoClient client, String scenario, int rep, Duration warmup,
      Duration measure) {
    String[] p = scenario.split("-");
    Duration shortWarmup = warmup.dividedBy(2);
    return switch (p[0]) {
      case "pingpong" -> {
        byte[] payload = new byte[Integer.parseInt(p[1])];
        yield new Result[] {Scenarios.pingPong(system, scenario, rep, () -> client.echoAndWait(payload), shortWarmup,
            measure)};
      }
      case "throughput" -> {
        byte[] payload = new byte[Integer.parseInt(p[1])];
        yield new Result[] {Scenarios.throughput(system, scenario, rep, () -> client.echo(payload),
            Integer.parseInt(p[2]), shortWarmup, measure)};
      }
      case "large" -> {
        byte[] large = new byte[Integer.parseInt(p[1])];
        byte[] small = new byte[SMALL];
        yield new Result[] {Scenarios.underLargeMessage(system, scenario, rep, () -> client.echo(small),
            () -> client.echo(large), Integer.parseInt(p[2]), shortWarmup, measure)};
      }
      case "seed" -> {
        byte[] payload = new byte[Integer.parseInt(p[2])];
        yield new Result[] {Scenarios.burst(system, scenario, rep, key -> client.echoByKey(key, payload),
            Integer.parseInt(p[1]), shortWarmup, measure)};
      }
      case "fanout" -> {
        FrpcEcho.Client frpc = (FrpcEcho.Client) client;
        byte[] payload = new byte[Integer.parseInt(p[1])];
        Runnable one = () -> frpc.echoAndWait(payload);
        Runnable all = () -> frpc.echoOnAll(payload).join();
        yield new Result[] {
            Scenarios.pingPong(system, scenario + "-one", rep, one, shortWarmup, measure),
            Scenarios.pingPong(system, scenario + "-all", rep, all, shortWarmup, measure)};
      }
      default -> throw new IllegalArgumentException("unknown scenario " + scenario);
    };
  }
}
