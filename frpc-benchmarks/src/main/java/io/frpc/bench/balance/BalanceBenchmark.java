package io.frpc.bench.balance;

import ch.qos.logback.classic.Level;
import io.frpc.FrpcNode;
import io.frpc.HandlerDefinition;
import io.frpc.LoadBalancing;
import io.frpc.ModuleCall;
import io.frpc.NodeId;
import io.frpc.bench.Await;
import io.frpc.discovery.StaticNodeDiscovery;
import io.frpc.discovery.StaticNodeDiscovery.HostPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Least-loaded choice against round robin, in this one JVM: three server nodes of the name {@code bench}, and
 * per run a new caller node whose threads call the name without a node id in a closed loop. Node 3 is equal to
 * the others, or answers 20 ms later, or stops answering for 50 ms once a second. The two configurations
 * alternate which runs first; every figure is the median of the repetitions.
 * {@code BalanceBenchmark <report-file> [warm-up s] [measured s] [repetitions] [callers]}, by default 2 5 5 8.
 */
public final class BalanceBenchmark {

  private static final int SERVERS = 3;
  private static final int SLOW_NODE = 3;
  private static final byte[] PAYLOAD = new byte[32];

  /** What node {@value #SLOW_NODE} does differently. */
  enum Scenario {
    EQUAL("equal nodes"),
    SLOW("node 3 +20 ms per call"),
    PAUSE("node 3 pauses 50 ms every second");

    final String title;

    Scenario(String title) {
      this.title = title;
    }
  }

  /** One measured run. */
  record Run(Scenario scenario, LoadBalancing balancing, int rep, double callsPerSecond, double p50Micros,
      double p99Micros, double p999Micros, double slowShare) {
  }

  /** Handler of module {@code work} on every server node: behaves as the current scenario says for its node. */
  public static final class Work {
    private final int node;
    private final Behaviour behaviour;

    Work(int node, Behaviour behaviour) {
      this.node = node;
      this.behaviour = behaviour;
    }

    public int work(byte[] payload) {
      if (node == SLOW_NODE) {
        behaviour.delay();
      }
      return node;
    }
  }

  /** The scenario the server nodes are in; set between runs. */
  static final class Behaviour {
    private static final long PAUSE_EVERY = TimeUnit.SECONDS.toNanos(1);
    private static final long PAUSE = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long SLOWER = TimeUnit.MILLISECONDS.toNanos(20);

    private final long origin = System.nanoTime();
    private volatile Scenario scenario = Scenario.EQUAL;

    void delay() {
      switch (scenario) {
        case EQUAL -> {
        }
        case SLOW -> LockSupport.parkNanos(SLOWER);
        case PAUSE -> {
          // the first 50 ms of every second: whatever arrives then waits until the pause is over, as in a
          // stop-the-world pause of the node
          long phase = (System.nanoTime() - origin) % PAUSE_EVERY;
          if (phase < PAUSE) {
            LockSupport.parkNanos(PAUSE - phase);
          }
        }
      }
    }
  }

  private BalanceBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      throw new IllegalArgumentException("usage: BalanceBenchmark <report-file> [warm-up s] [measured s] "
          + "[repetitions] [callers]");
    }
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int measured = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int repetitions = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    int callers = args.length > 4 ? Integer.parseInt(args[4]) : 8;
    long start = System.nanoTime();
    Behaviour behaviour = new Behaviour();
    List<FrpcNode> servers = new ArrayList<>();
    ExecutorService threads = Executors.newFixedThreadPool(callers);
    List<Run> runs = new ArrayList<>();
    try {
      Map<NodeId, HostPort> addresses = new LinkedHashMap<>();
      for (int id = 1; id <= SERVERS; id++) {
        int node = id;
        FrpcNode server = FrpcNode.builder("bench", id).listen("127.0.0.1", 0).ioThreads(1)
            .shutdownTimeout(Duration.ofSeconds(1))
            .handler(HandlerDefinition.of("work", null, 1, self -> new Work(node, behaviour)).runConcurrently()
                .withMailboxCapacity(100_000))
            .build();
        server.start();
        servers.add(server);
        addresses.put(server.id(), new HostPort("127.0.0.1", server.listenAddress().getPort()));
      }
      System.err.printf("3 server nodes, %d calling threads; JIT warm-up%n", callers);
      run(addresses, behaviour, threads, callers, Scenario.EQUAL, LoadBalancing.ROUND_ROBIN, 0, 5, 0);
      for (int rep = 1; rep <= repetitions; rep++) {
        for (Scenario scenario : Scenario.values()) {
          List<LoadBalancing> order = rep % 2 == 1 ? List.of(LoadBalancing.ROUND_ROBIN, LoadBalancing.LEAST_LOADED)
              : List.of(LoadBalancing.LEAST_LOADED, LoadBalancing.ROUND_ROBIN);
          for (LoadBalancing balancing : order) {
            Run run = run(addresses, behaviour, threads, callers, scenario, balancing, rep, warmUp, measured);
            runs.add(run);
            System.err.printf(Locale.ROOT, "  %-34s %-12s rep %d: %,9.0f calls/s  p50 %8.1f us  p99 %9.1f us  "
                + "p99.9 %9.1f us  node 3 %5.1f %%%n", scenario.title, name(balancing), rep, run.callsPerSecond(),
                run.p50Micros(), run.p99Micros(), run.p999Micros(), 100 * run.slowShare());
          }
        }
      }
    } finally {
      threads.shutdownNow();
      servers.forEach(FrpcNode::close);
    }
    String report = render(runs, warmUp, measured, repetitions, callers, System.nanoTime() - start);
    System.out.println(report);
    Path file = Path.of(args[0]);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, report);
    System.err.println("Report written to " + file);
  }

  /**
   * A new caller node with {@code balancing}, connected to the servers; {@code callers} threads call for
   * {@code warmUp} seconds unmeasured (the caller learns the nodes' round trips), then {@code measured} seconds.
   */
  private static Run run(Map<NodeId, HostPort> servers, Behaviour behaviour, ExecutorService threads, int callers,
      Scenario scenario, LoadBalancing balancing, int rep, int warmUp, int measured) throws Exception {
    behaviour.scenario = scenario;
    try (FrpcNode caller = FrpcNode.builder("bench-caller", 1).serve(false).ioThreads(2)
        .callTimeout(Duration.ofSeconds(30)).loadBalancing(balancing)
        .discovery(new StaticNodeDiscovery(servers)).build()) {
      caller.start();
      Await.until(() -> caller.template().activeNodeIds("bench").size() == SERVERS, Duration.ofSeconds(30),
          "the caller connected to every server node");
      ModuleCall work = caller.template().module("bench", "work");
      long measuredFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmUp);
      long end = measuredFrom + TimeUnit.SECONDS.toNanos(measured);
      List<Future<Histogram>> done = new ArrayList<>();
      long[][] perNode = new long[callers][SERVERS + 1];
      for (int c = 0; c < callers; c++) {
        long[] answered = perNode[c];
        done.add(threads.submit(() -> {
          Histogram latencies = new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
          long now = System.nanoTime();
          while (now < end) {
            int node = work.call("work", Integer.class, (Object) PAYLOAD);
            long after = System.nanoTime();
            if (now >= measuredFrom) {
              latencies.recordValue(after - now);
              answered[node]++;
            }
            now = after;
          }
          return latencies;
        }));
      }
      Histogram all = new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
      for (Future<Histogram> thread : done) {
        all.add(thread.get(measured + warmUp + 60, TimeUnit.SECONDS));
      }
      long slow = 0;
      for (long[] answered : perNode) {
        slow += answered[SLOW_NODE];
      }
      long calls = all.getTotalCount();
      return new Run(scenario, balancing, rep, calls / (double) measured, all.getValueAtPercentile(50) / 1e3,
          all.getValueAtPercentile(99) / 1e3, all.getValueAtPercentile(99.9) / 1e3,
          calls == 0 ? 0 : slow / (double) calls);
    }
  }

  private static String render(List<Run> runs, int warmUp, int measured, int repetitions, int callers,
      long elapsedNanos) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "Three server nodes of one name and one caller node in one JVM (Java %s, "
        + "%d processors), %d threads calling in a closed loop (32 B argument, no node id); per run a new caller, "
        + "%d s unmeasured then %d s measured; configurations alternating, medians of %d repetitions; %.0f s in "
        + "all.%n%n", System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), callers,
        warmUp, measured, repetitions, elapsedNanos / 1e9));
    out.append("| node 3 | load balancing | calls/s | p50 µs | p99 µs | p99.9 µs | node 3's share of calls |\n");
    out.append("|---|---|---|---|---|---|---|\n");
    for (Scenario scenario : Scenario.values()) {
      Map<LoadBalancing, List<Run>> byBalancing = new EnumMap<>(LoadBalancing.class);
      runs.stream().filter(r -> r.scenario() == scenario)
          .forEach(r -> byBalancing.computeIfAbsent(r.balancing(), b -> new ArrayList<>()).add(r));
      for (LoadBalancing balancing : List.of(LoadBalancing.ROUND_ROBIN, LoadBalancing.LEAST_LOADED)) {
        List<Run> of = byBalancing.getOrDefault(balancing, List.of());
        out.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %.1f | %,.1f | %,.1f | %.1f %% |%n",
            scenario.title, name(balancing), median(of, Run::callsPerSecond), median(of, Run::p50Micros),
            median(of, Run::p99Micros), median(of, Run::p999Micros), 100 * median(of, Run::slowShare)));
      }
      double ratio = median(byBalancing.get(LoadBalancing.LEAST_LOADED), Run::callsPerSecond)
          / median(byBalancing.get(LoadBalancing.ROUND_ROBIN), Run::callsPerSecond);
      out.append(String.format(Locale.ROOT, "| %s | least-loaded / round-robin | %.2f× | | | | |%n",
          scenario.title, ratio));
    }
    out.append("\nThroughput of each repetition, round-robin / least-loaded:\n\n");
    for (Scenario scenario : Scenario.values()) {
      out.append("- ").append(scenario.title).append(':');
      for (int rep = 1; rep <= repetitions; rep++) {
        out.append(' ').append(perRep(runs, scenario, LoadBalancing.ROUND_ROBIN, rep)).append(" / ")
            .append(perRep(runs, scenario, LoadBalancing.LEAST_LOADED, rep)).append(rep < repetitions ? ";" : "");
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static String perRep(List<Run> runs, Scenario scenario, LoadBalancing balancing, int rep) {
    return runs.stream().filter(r -> r.scenario() == scenario && r.balancing() == balancing && r.rep() == rep)
        .map(r -> String.format(Locale.ROOT, "%,.0f", r.callsPerSecond())).findFirst().orElse("-");
  }

  private static String name(LoadBalancing balancing) {
    return balancing.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static double median(List<Run> runs, ToDoubleFunction<Run> value) {
    if (runs == null || runs.isEmpty()) {
      return Double.NaN;
    }
    double[] values = runs.stream().mapToDouble(value).sorted().toArray();
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }
}
