package io.frpc.bench;

import io.frpc.testing.TestCertificates;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Runs every system in turn, each as a server JVM and a client JVM on loopback with identical JVM flags,
 * payloads and concurrency, and prints one markdown table of medians with the ratios frpc/Netty and
 * frpc/gRPC from the same run. {@code BenchmarkRunner quick|full <report-file>}.
 */
public final class BenchmarkRunner {

  private static final List<String> JVM_FLAGS = List.of("-Xms2g", "-Xmx2g", "-XX:+UseG1GC",
      "-Dio.netty.leakDetection.level=disabled", "-Dio.grpc.netty.shaded.io.netty.leakDetection.level=disabled");
  private static final String[] SYSTEMS = {"netty", "grpc", "frpc", "frpc-concurrent", "frpc-secret", "frpc-tls",
      "frpc-metrics", "frpc-tracing", "frpc-typed"};
  private static final Map<String, String> TITLES = Map.of("netty", "raw Netty", "grpc", "gRPC-java", "frpc", "frpc",
      "frpc-concurrent", "frpc concurrent", "frpc-secret", "frpc + secret", "frpc-tls", "frpc + TLS",
      "frpc-metrics", "frpc + Micrometer", "frpc-tracing", "frpc + tracing", "frpc-typed", "frpc typed client");
  /** System properties of every child JVM (where the TLS variant finds its certificates). */
  private static final List<String> PROPERTIES = new ArrayList<>();

  private record Run(String system, int nodes, List<String> scenarios) {
  }

  private BenchmarkRunner() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("security")) {
      security(Path.of(args.length > 1 ? args[1] : "target/benchmark-security.md"));
      return;
    }
    if (args.length > 0 && args[0].equals("typed")) {
      typed(Path.of(args.length > 1 ? args[1] : "target/benchmark-typed.md"));
      return;
    }
    if (args.length > 0 && args[0].equals("metrics")) {
      metrics(Path.of(args.length > 1 ? args[1] : "target/benchmark-metrics.md"));
      return;
    }
    boolean full = args.length > 0 && args[0].equals("full");
    Path report = Path.of(args.length > 1 ? args[1] : "target/benchmark-report.md");
    int warmup = full ? 10 : 3;
    int measure = full ? 5 : 3;
    int reps = full ? 3 : 1;
    List<String> common = full
        ? List.of("pingpong-32", "pingpong-4096", "pingpong-262144", "throughput-32-64", "throughput-4096-64",
            "throughput-262144-64", "large-67108864-64")
        : List.of("pingpong-32", "throughput-32-64");
    List<Run> runs = new ArrayList<>();
    runs.add(new Run("netty", 1, common));
    runs.add(new Run("grpc", 1, common));
    List<String> frpcScenarios = new ArrayList<>(common);
    frpcScenarios.add("seed-10000-1024");
    runs.add(new Run("frpc", 1, frpcScenarios));
    if (full) {
      runs.add(new Run("frpc-concurrent", 1, common));
      runs.add(new Run("frpc", 4, List.of("fanout-32")));
    }
    List<Result> results = new ArrayList<>();
    String classpath = System.getProperty("java.class.path");
    for (Run run : runs) {
      System.err.printf("== %s (%d node%s): %s%n", run.system(), run.nodes(), run.nodes() == 1 ? "" : "s",
          run.scenarios());
      results.addAll(execute(run, classpath, warmup, measure, reps));
    }
    String table = report(results, full, warmup, measure, reps);
    System.out.println(table);
    Files.createDirectories(report.toAbsolutePath().getParent());
    Files.writeString(report, table);
    System.err.println("Report written to " + report);
  }

  /**
   * frpc plain, with a shared secret and with TLS, in one run with the full mode's timings, and their ratios
   * to plain. The certificates are made for the run with the JDK's keytool.
   */
  private static void security(Path report) throws Exception {
    Path certificates = Files.createTempDirectory("frpc-bench-certs");
    TestCertificates.create(certificates);
    PROPERTIES.add("-Dfrpc.bench.certs=" + certificates);
    compare(report, List.of("frpc", "frpc-secret", "frpc-tls"), "Security against plain frpc, same run:", (s, out) -> {
      for (String scenario : List.of("throughput-32-64", "throughput-4096-64")) {
        target(out, s, scenario, "frpc-secret", "frpc", Result::callsPerSecond, scenario + " secret/plain calls/s "
            + "≥ 0.97", r -> r >= 0.97);
        target(out, s, scenario, "frpc-tls", "frpc", Result::callsPerSecond, scenario + " TLS/plain calls/s ≥ 0.7",
            r -> r >= 0.7);
      }
      target(out, s, "pingpong-32", "frpc-secret", "frpc", Result::p50Micros, "ping-pong 32 B p50 secret/plain",
          r -> true);
      target(out, s, "pingpong-32", "frpc-tls", "frpc", Result::p50Micros, "ping-pong 32 B p50 TLS/plain", r -> true);
    });
  }

  /**
   * frpc without metrics and tracing (no observer, no tracer: what a node without a Micrometer registry or
   * tracer does), with Spring Boot Actuator's Micrometer registry timing every call and request, and with a
   * Brave tracer (every call made in a span, so each gets a client and a server span), in one run, and
   * their ratios.
   */
  private static void metrics(Path report) throws Exception {
    compare(report, List.of("frpc", "frpc-metrics", "frpc-tracing"), "Metrics and tracing against neither, same run:",
        (s, out) -> {
          for (String variant : List.of("frpc-metrics", "frpc-tracing")) {
            for (String scenario : List.of("throughput-32-64", "throughput-4096-64")) {
              target(out, s, scenario, variant, "frpc", Result::callsPerSecond, scenario + " " + variant
                  + "/frpc calls/s ≥ 0.9", r -> r >= 0.9);
            }
            target(out, s, "pingpong-32", variant, "frpc", Result::p50Micros, "ping-pong 32 B p50 " + variant
                + "/frpc", r -> true);
          }
        });
  }

  /** The string form ({@code FrpcTemplate} chains) against a typed client of the same module, in one run. */
  private static void typed(Path report) throws Exception {
    compare(report, List.of("frpc", "frpc-typed"), "Typed client against the string form, same run:", (s, out) -> {
      for (String scenario : List.of("throughput-32-64", "throughput-4096-64")) {
        target(out, s, scenario, "frpc-typed", "frpc", Result::callsPerSecond, scenario
            + " typed/string calls/s ≥ 0.95", r -> r >= 0.95);
      }
      target(out, s, "pingpong-32", "frpc-typed", "frpc", Result::p50Micros, "ping-pong 32 B p50 typed/string",
          r -> r <= 1.05);
    });
  }

  /** Runs {@code systems} on the same scenarios with the full mode's timings, and reports the table and ratios. */
  private static void compare(Path report, List<String> systems, String heading,
      java.util.function.BiConsumer<Map<String, Map<String, List<Result>>>, StringBuilder> ratiosOf) throws Exception {
    List<String> scenarios = List.of("pingpong-32", "throughput-32-64", "throughput-4096-64");
    List<Result> results = new ArrayList<>();
    String classpath = System.getProperty("java.class.path");
    for (String system : systems) {
      System.err.printf("== %s: %s%n", system, scenarios);
      results.addAll(execute(new Run(system, 1, scenarios), classpath, 10, 5, 3));
    }
    String table = report(results, true, 10, 5, 3);
    Map<String, Map<String, List<Result>>> s = new TreeMap<>();
    results.forEach(r -> s.computeIfAbsent(r.scenario(), k -> new TreeMap<>()).computeIfAbsent(r.system(),
        k -> new ArrayList<>()).add(r));
    StringBuilder ratios = new StringBuilder("\n" + heading + "\n\n");
    ratiosOf.accept(s, ratios);
    System.out.println(table + ratios);
    Files.createDirectories(report.toAbsolutePath().getParent());
    Files.writeString(report, table + ratios);
    System.err.println("Report written to " + report);
  }

  private static List<Result> execute(Run run, String classpath, int warmup, int measure, int reps)
      throws IOException, InterruptedException {
    int port = freePorts(run.nodes());
    Process server = java(classpath, "io.frpc.bench.BenchServer", run.system(), String.valueOf(port),
        String.valueOf(run.nodes()));
    List<Result> results = new ArrayList<>();
    try (BufferedReader serverOut = reader(server)) {
      String line;
      while ((line = serverOut.readLine()) != null && !line.equals("READY")) {
        System.err.println("  server: " + line);
      }
      if (line == null) {
        throw new IllegalStateException(run.system() + " server exited before it was ready");
      }
      List<String> clientArgs = new ArrayList<>(List.of(run.system(), String.valueOf(port),
          String.valueOf(run.nodes()), String.valueOf(warmup), String.valueOf(measure), String.valueOf(reps)));
      clientArgs.addAll(run.scenarios());
      Process client = java(classpath, "io.frpc.bench.BenchClient", clientArgs.toArray(String[]::new));
      try (BufferedReader clientOut = reader(client)) {
        while ((line = clientOut.readLine()) != null) {
          if (line.startsWith("RESULT ")) {
            Result result = Result.parse(line);
            results.add(result);
            System.err.printf(Locale.ROOT, "  %-22s rep %d: %,12.0f calls/s  p50 %9.1f us  p99 %9.1f us%n",
                result.scenario(), result.rep(), result.callsPerSecond(), result.p50Micros(), result.p99Micros());
          } else {
            System.err.println("  client: " + line);
          }
        }
      }
      if (client.waitFor() != 0) {
        throw new IllegalStateException(run.system() + " client failed with exit code " + client.exitValue());
      }
    } finally {
      server.getOutputStream().close();
      if (!server.waitFor(20, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
    return results;
  }

  private static Process java(String classpath, String main, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_FLAGS);
    command.addAll(PROPERTIES);
    command.addAll(List.of("-cp", classpath, main));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static BufferedReader reader(Process process) {
    return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** The first of {@code count} consecutive ports that are free now. */
  private static int freePorts(int count) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int first;
      try (ServerSocket probe = new ServerSocket(0)) {
        first = probe.getLocalPort();
      }
      if (first + count > 65535) {
        continue;
      }
      boolean free = true;
      for (int port = first + 1; port < first + count && free; port++) {
        try (ServerSocket probe = new ServerSocket(port)) {
          free = probe.isBound();
        } catch (IOException busy) {
          free = false;
        }
      }
      if (free) {
        return first;
      }
    }
    throw new IOException("no " + count + " consecutive free ports found");
  }

  // ---- report ------------------------------------------------------------------------------------

  private static String report(List<Result> results, boolean full, int warmup, int measure, int reps) {
    Map<String, Map<String, List<Result>>> byScenario = new TreeMap<>();
    for (Result r : results) {
      byScenario.computeIfAbsent(r.scenario(), k -> new TreeMap<>()).computeIfAbsent(r.system(), k -> new ArrayList<>())
          .add(r);
    }
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "Mode %s: JIT warm-up %d s per JVM, then per scenario %d s warm-up and "
        + "%d s measured, %d repetition(s); medians. JVM flags: %s. Java %s, %d processors.%n%n",
        full ? "full" : "quick", 2 * warmup, warmup / 2, measure, reps, String.join(" ", JVM_FLAGS),
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors()));
    out.append("| scenario | metric |");
    for (String system : SYSTEMS) {
      out.append(' ').append(TITLES.get(system)).append(" |");
    }
    out.append(" frpc/Netty | frpc/gRPC |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for (Map.Entry<String, Map<String, List<Result>>> entry : byScenario.entrySet()) {
      String scenario = entry.getKey();
      Map<String, List<Result>> systems = entry.getValue();
      boolean latency = scenario.startsWith("pingpong") || scenario.startsWith("fanout");
      row(out, scenario, "calls/s", systems, Result::callsPerSecond, !latency);
      row(out, scenario, "p50 µs", systems, Result::p50Micros, latency);
      row(out, scenario, "p99 µs", systems, Result::p99Micros, latency || scenario.startsWith("large"));
      if (latency) {
        row(out, scenario, "p99.9 µs", systems, Result::p999Micros, false);
      }
    }
    out.append('\n').append(targets(byScenario));
    return out.toString();
  }

  private static void row(StringBuilder out, String scenario, String metric, Map<String, List<Result>> systems,
      ToDoubleFunction<Result> value, boolean ratios) {
    out.append("| ").append(scenario).append(" | ").append(metric).append(" |");
    for (String system : SYSTEMS) {
      Double median = median(systems.get(system), value);
      out.append(' ').append(median == null ? "" : format(median)).append(" |");
    }
    Double frpc = median(systems.get("frpc"), value);
    out.append(' ').append(ratios ? ratio(frpc, median(systems.get("netty"), value)) : "").append(" |");
    out.append(' ').append(ratios ? ratio(frpc, median(systems.get("grpc"), value)) : "").append(" |\n");
  }

  private static String targets(Map<String, Map<String, List<Result>>> s) {
    StringBuilder out = new StringBuilder("Targets (frpc = the actor-mode echo):\n\n");
    target(out, s, "pingpong-32", "frpc", "netty", Result::p50Micros, "ping-pong 32 B p50 ≤ 2× raw Netty", r -> r <= 2);
    target(out, s, "pingpong-32", "frpc", "grpc", Result::p50Micros, "ping-pong 32 B p50 ≤ 0.6× gRPC", r -> r <= 0.6);
    Double p50 = median(get(s, "pingpong-32", "frpc"), Result::p50Micros);
    Double p99 = median(get(s, "pingpong-32", "frpc"), Result::p99Micros);
    if (p50 != null && p99 != null) {
      line(out, "ping-pong 32 B p99 ≤ 3× own p50", p99 / p50, p99 / p50 <= 3);
    }
    target(out, s, "throughput-32-64", "frpc", "grpc", Result::callsPerSecond, "throughput 32 B ≥ 3× gRPC",
        r -> r >= 3);
    target(out, s, "throughput-32-64", "frpc", "netty", Result::callsPerSecond, "throughput 32 B vs raw Netty (report)",
        r -> true);
    target(out, s, "throughput-262144-64", "frpc", "netty", Result::callsPerSecond, "throughput 256 KiB ≥ 0.8× raw Netty",
        r -> r >= 0.8);
    Double large = median(get(s, "large-67108864-64", "frpc"), Result::p99Micros);
    if (large != null) {
      out.append(String.format(Locale.ROOT, "- small-call p99 while a 64 MiB call is in flight < 5 ms: %.2f ms %s%n",
          large / 1000, large < 5000 ? "✓" : "✗"));
    }
    Double seed = median(get(s, "seed-10000-1024", "frpc"), Result::callsPerSecond);
    if (seed != null) {
      out.append(String.format(Locale.ROOT, "- seed benchmark (10,000 concurrent 1 KiB mod calls): %,.0f calls/s, "
          + "%.1f× the 20–30 k/s of the Lua original (aim 10×) %s%n", seed, seed / 25_000, seed >= 250_000 ? "✓" : "✗"));
    }
    Double one = median(get(s, "fanout-32-one", "frpc"), Result::p50Micros);
    Double all = median(get(s, "fanout-32-all", "frpc"), Result::p50Micros);
    if (one != null && all != null) {
      out.append(String.format(Locale.ROOT, "- all-mode fan-out to 4 nodes: p50 %.1f µs vs %.1f µs to one node = %.2f×%n",
          all, one, all / one));
    }
    return out.toString();
  }

  private static void target(StringBuilder out, Map<String, Map<String, List<Result>>> s, String scenario, String a,
      String b, ToDoubleFunction<Result> value, String text, java.util.function.DoublePredicate met) {
    Double x = median(get(s, scenario, a), value);
    Double y = median(get(s, scenario, b), value);
    if (x != null && y != null) {
      double ratio = x / y;
      line(out, text, ratio, met.test(ratio));
    }
  }

  private static void line(StringBuilder out, String text, double ratio, boolean met) {
    out.append(String.format(Locale.ROOT, "- %s: %.2f× %s%n", text, ratio, met ? "✓" : "✗"));
  }

  private static List<Result> get(Map<String, Map<String, List<Result>>> s, String scenario, String system) {
    Map<String, List<Result>> systems = s.get(scenario);
    return systems == null ? null : systems.get(system);
  }

  private static Double median(List<Result> results, ToDoubleFunction<Result> value) {
    if (results == null || results.isEmpty()) {
      return null;
    }
    List<Double> values = results.stream().map(value::applyAsDouble).sorted().collect(Collectors.toList());
    int n = values.size();
    return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
  }

  private static String ratio(Double a, Double b) {
    return a == null || b == null ? "" : String.format(Locale.ROOT, "%.2f", a / b);
  }

  private static String format(double value) {
    return value >= 1000 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
  }
}
