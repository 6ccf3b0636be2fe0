package io.frpc.bench;

import io.frpc.testing.TestCertificates;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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

  /** The flags of every server and client JVM: a fixed, pre-touched heap and a throughput collector. */
  private static final List<String> JVM_FLAGS = List.of("-Xms1g", "-Xmx1g", "-XX:+UseParallelGC",
      "-XX:+AlwaysPreTouch", "-Dio.netty.leakDetection.level=disabled",
      "-Dio.grpc.netty.shaded.io.netty.leakDetection.level=disabled");
  private static final List<String> SYSTEMS = List.of("netty", "grpc", "grpc-default", "frpc", "frpc-direct",
      "frpc-bytes", "frpc-bytes-256k", "frpc-concurrent", "frpc-secret", "frpc-tls", "frpc-metrics", "frpc-tracing",
      "frpc-typed", "frpc-direct-nomdc");
  /** The systems that move blobs as {@code FrpcBytes}: their ratios and targets are reported too. */
  private static final List<String> BLOB_SYSTEMS = List.of("frpc-bytes", "frpc-bytes-256k");
  private static final Map<String, String> TITLES = Map.ofEntries(Map.entry("netty", "raw Netty"),
      Map.entry("grpc", "gRPC direct"), Map.entry("grpc-default", "gRPC default executor"),
      Map.entry("frpc", "frpc defaults"), Map.entry("frpc-direct", "frpc direct"),
      Map.entry("frpc-bytes", "frpc direct, FrpcBytes"),
      Map.entry("frpc-bytes-256k", "frpc direct, FrpcBytes, 256 KB socket buffers"),
      Map.entry("frpc-concurrent", "frpc concurrent"), Map.entry("frpc-secret", "frpc + secret"),
      Map.entry("frpc-tls", "frpc + TLS"), Map.entry("frpc-metrics", "frpc + Micrometer"),
      Map.entry("frpc-tracing", "frpc + tracing"), Map.entry("frpc-typed", "frpc typed client"),
      Map.entry("frpc-direct-nomdc", "frpc direct, frpc.server.mdc=false"));
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
    if (args.length > 0 && args[0].equals("custom")) {
      custom(args);
      return;
    }
    String mode = args.length > 0 ? args[0] : "quick";
    Path report = Path.of(args.length > 1 ? args[1] : "target/benchmark-report.md");
    boolean quick = mode.equals("quick");
    int warmup = quick ? 3 : 10;
    int measure = quick ? 3 : 10;
    int reps = quick ? 1 : 3;
    List<String> common = switch (mode) {
      case "quick" -> List.of("pingpong-32", "throughput-32-64");
      case "full" -> List.of("pingpong-32", "pingpong-4096", "pingpong-262144", "blocking-32", "throughput-32-64",
          "throughput-4096-64", "throughput-262144-64", "large-67108864-64");
      case "fanout" -> List.of();
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    };
    List<Run> runs = new ArrayList<>();
    if (mode.equals("fanout")) {
      runs.add(new Run("frpc", 4, List.of("fanout-32")));
      runs.add(new Run("frpc-direct", 4, List.of("fanout-32")));
    } else {
      runs.add(new Run("netty", 1, common));
      runs.add(new Run("grpc", 1, common));
      if (!quick) {
        runs.add(new Run("grpc-default", 1, common));
      }
      for (String frpc : List.of("frpc", "frpc-direct")) {
        List<String> frpcScenarios = new ArrayList<>(common);
        if (!quick) {
          frpcScenarios.add("seed-10000-1024");
        }
        runs.add(new Run(frpc, 1, frpcScenarios));
      }
      if (!quick) {
        // what a user who moves blobs writes: FrpcBytes arguments and results, no copies on the way
        List<String> blobs = common.stream().filter(scenario -> scenario.contains("262144")
            || scenario.startsWith("large")).toList();
        // frpc-bytes-256k adds frpc.socket-buffer-size: what bounding the kernel's share of a large message costs
        // and buys
        BLOB_SYSTEMS.forEach(system -> runs.add(new Run(system, 1, blobs)));
      }
    }
    List<Result> results = new ArrayList<>();
    String classpath = System.getProperty("java.class.path");
    for (Run run : runs) {
      System.err.printf("== %s (%d node%s): %s%n", run.system(), run.nodes(), run.nodes() == 1 ? "" : "s",
          run.scenarios());
      results.addAll(execute(run, classpath, warmup, measure, reps));
    }
    String table = report(results, mode, warmup, measure, reps);
    System.out.println(table);
    Files.createDirectories(report.toAbsolutePath().getParent());
    Files.writeString(report, table);
    System.err.println("Report written to " + report);
  }

  /**
   * {@code custom <report> <systems,...> <scenarios,...> [warm-up s] [measured s] [windows]}: the chosen
   * systems and scenarios, defaults 10 10 3.
   */
  private static void custom(String[] args) throws Exception {
    Path report = Path.of(args[1]);
    int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 10;
    int measure = args.length > 5 ? Integer.parseInt(args[5]) : 10;
    int reps = args.length > 6 ? Integer.parseInt(args[6]) : 3;
    List<String> scenarios = List.of(args[3].split(","));
    List<Result> results = new ArrayList<>();
    String classpath = System.getProperty("java.class.path");
    for (String system : args[2].split(",")) {
      System.err.printf("== %s: %s%n", system, scenarios);
      results.addAll(execute(new Run(system, 1, scenarios), classpath, warmup, measure, reps));
    }
    String table = report(results, "custom", warmup, measure, reps);
    System.out.println(table);
    Files.createDirectories(report.toAbsolutePath().getParent());
    Files.writeString(report, table);
  }

  /**
   * frpc plain, with a shared secret and with TLS, in one run with the full mode's timings, and their ratios
   * to plain. The certificates are made for the run with the JDK's keytool.
   */
  private static void security(Path report) throws Exception {
    Path certificates = Files.createTempDirectory("frpc-bench-certs");
    TestCertificates.create(certificates);
    PROPERTIES.add("-Dfrpc.bench.certs=" + certificates);
    compare(report, "security", List.of("frpc", "frpc-secret", "frpc-tls"),
        List.of("pingpong-32", "pingpong-4096", "throughput-32-64", "throughput-4096-64"),
        "Security against plain frpc, same run (the secret seals every frame with AES-256-GCM):", (s, out) -> {
          for (String scenario : List.of("throughput-32-64", "throughput-4096-64")) {
            target(out, s, scenario, "frpc-secret", "frpc", Result::callsPerSecond, scenario + " secret/plain calls/s "
                + "≥ 0.8", r -> r >= 0.8);
            target(out, s, scenario, "frpc-tls", "frpc", Result::callsPerSecond, scenario + " TLS/plain calls/s ≥ 0.7",
                r -> r >= 0.7);
          }
          for (String scenario : List.of("pingpong-32", "pingpong-4096")) {
            target(out, s, scenario, "frpc-secret", "frpc", Result::p50Micros, scenario + " p50 secret/plain",
                r -> true);
            target(out, s, scenario, "frpc-tls", "frpc", Result::p50Micros, scenario + " p50 TLS/plain", r -> true);
          }
        });
  }

  /**
   * frpc without metrics and tracing (no observer, no tracer: what a node without a Micrometer registry or
   * tracer does), with Spring Boot Actuator's Micrometer registry timing every call and request, and with a
   * Brave tracer (every call made in a span, so each gets a client and a server span), in one run, and
   * their ratios.
   */
  private static void metrics(Path report) throws Exception {
    compare(report, "metrics", List.of("frpc", "frpc-metrics", "frpc-tracing"), "Metrics and tracing against neither, same run:",
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
    compare(report, "typed", List.of("frpc", "frpc-typed"), "Typed client against the string form, same run:", (s, out) -> {
      for (String scenario : List.of("throughput-32-64", "throughput-4096-64")) {
        target(out, s, scenario, "frpc-typed", "frpc", Result::callsPerSecond, scenario
            + " typed/string calls/s ≥ 0.95", r -> r >= 0.95);
      }
      target(out, s, "pingpong-32", "frpc-typed", "frpc", Result::p50Micros, "ping-pong 32 B p50 typed/string",
          r -> r <= 1.05);
    });
  }

  /**
   * Runs {@code systems} on the same scenarios (10 s warm-up, three 5 s windows), and reports the table and
   * ratios.
   */
  private static void compare(Path report, String mode, List<String> systems, String heading,
      java.util.function.BiConsumer<Map<String, Map<String, List<Result>>>, StringBuilder> ratiosOf) throws Exception {
    compare(report, mode, systems, List.of("pingpong-32", "throughput-32-64", "throughput-4096-64"), heading,
        ratiosOf);
  }

  private static void compare(Path report, String mode, List<String> systems, List<String> scenarios,
      String heading, java.util.function.BiConsumer<Map<String, Map<String, List<Result>>>, StringBuilder> ratiosOf)
      throws Exception {
    List<Result> results = new ArrayList<>();
    String classpath = System.getProperty("java.class.path");
    for (String system : systems) {
      System.err.printf("== %s: %s%n", system, scenarios);
      results.addAll(execute(new Run(system, 1, scenarios), classpath, 10, 5, 3));
    }
    String table = report(results, mode, 10, 5, 3);
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
      Writer serverIn = new OutputStreamWriter(server.getOutputStream(), StandardCharsets.UTF_8);
      Map<String, JvmMemory> windowStarts = new HashMap<>();
      Map<String, JvmMemory> windows = new HashMap<>();
      Map<String, Long> payloads = new HashMap<>();
      Map<String, HostCpu> cpuStarts = new HashMap<>();
      Map<String, Double> steals = new HashMap<>();
      try (BufferedReader clientOut = reader(client)) {
        while ((line = clientOut.readLine()) != null) {
          if (line.startsWith("WINDOW ")) {
            // WINDOW <scenario> <rep> start|end <payload bytes> <client allocated> <young> <full>
            String[] f = line.split(" ");
            String key = f[1] + " " + f[2];
            JvmMemory both = JvmMemory.parse(f, 5).plus(serverMemory(serverIn, serverOut));
            long payload = Long.parseLong(f[4]);
            if (f[3].equals("start")) {
              windowStarts.put(key, both);
              payloads.put(key, payload);
              cpuStarts.put(key, HostCpu.now());
            } else {
              windows.put(key, both.minus(windowStarts.get(key)));
              payloads.put(key, payload - payloads.get(key));
              steals.put(key, HostCpu.stealPercent(cpuStarts.get(key), HostCpu.now()));
            }
          } else if (line.startsWith("RESULT ")) {
            Result result = Result.parse(line);
            String key = result.scenario() + " " + result.rep();
            if (windows.containsKey(key)) {
              result = result.withWindow(windows.get(key), payloads.get(key), steals.get(key));
            }
            results.add(result);
            System.err.printf(Locale.ROOT, "  %-22s rep %d: %,12.0f calls/s  p50 %9.1f us  p99 %9.1f us  heap/payload "
                + "%.2f  GCs %d young %d full  steal %.0f %%%n", result.scenario(), result.rep(),
                result.callsPerSecond(), result.p50Micros(), result.p99Micros(), result.heapPerPayloadByte(),
                result.youngGcs(), result.fullGcs(), result.hostStealPercent());
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

  /** The server JVM's allocation and collections so far. */
  private static JvmMemory serverMemory(Writer serverIn, BufferedReader serverOut) throws IOException {
    serverIn.write("STATS\n");
    serverIn.flush();
    String line;
    while ((line = serverOut.readLine()) != null && !line.startsWith("STATS ")) {
      System.err.println("  server: " + line);
    }
    if (line == null) {
      throw new IllegalStateException("the server exited during the run");
    }
    return JvmMemory.parse(line.split(" "), 1);
  }

  private static Process java(String classpath, String main, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_FLAGS);
    command.addAll(PROPERTIES);
    // extra flags for a profiling run, e.g. BENCH_JVM_ARGS=-XX:StartFlightRecording=filename=/tmp/%p.jfr
    String extra = System.getenv("BENCH_JVM_ARGS");
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
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

  private static String report(List<Result> results, String mode, int warmup, int measure, int reps) {
    Map<String, Map<String, List<Result>>> byScenario = new TreeMap<>();
    for (Result r : results) {
      byScenario.computeIfAbsent(r.scenario(), k -> new TreeMap<>()).computeIfAbsent(r.system(), k -> new ArrayList<>())
          .add(r);
    }
    List<String> systems = SYSTEMS.stream().filter(system -> results.stream().anyMatch(r -> r.system().equals(system)))
        .toList();
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "Mode %s: JIT warm-up %d s per client JVM (64 calls in flight), then per "
        + "scenario %d s warm-up (ping-pong: and at least 50,000 calls) and %d measured window(s) of %d s; medians "
        + "of the windows. JVM flags: %s. Java %s, %d processors.%n%n", mode, 2 * warmup, warmup, reps, measure,
        String.join(" ", JVM_FLAGS), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors()));
    out.append("| scenario | metric |");
    systems.forEach(system -> out.append(' ').append(TITLES.get(system)).append(" |"));
    List<String[]> ratios = new ArrayList<>(List.of(new String[] {"frpc", "netty"}, new String[] {"frpc", "grpc"},
        new String[] {"frpc-direct", "netty"}, new String[] {"frpc-direct", "grpc"}));
    for (String bytes : BLOB_SYSTEMS) {
      if (systems.contains(bytes)) {
        ratios.add(new String[] {bytes, "netty"});
        ratios.add(new String[] {bytes, "grpc"});
      }
    }
    ratios.forEach(r -> out.append(' ').append(TITLES.get(r[0])).append(" / ").append(TITLES.get(r[1])).append(" |"));
    out.append("\n|---|---|").append("---|".repeat(systems.size() + ratios.size())).append('\n');
    for (Map.Entry<String, Map<String, List<Result>>> entry : byScenario.entrySet()) {
      String scenario = entry.getKey();
      Map<String, List<Result>> bySystem = entry.getValue();
      boolean latency = scenario.startsWith("pingpong") || scenario.startsWith("blocking")
          || scenario.startsWith("fanout");
      row(out, scenario, "calls/s", systems, ratios, bySystem, Result::callsPerSecond, !latency);
      row(out, scenario, "p50 µs", systems, ratios, bySystem, Result::p50Micros, latency);
      row(out, scenario, "p99 µs", systems, ratios, bySystem, Result::p99Micros, latency || scenario.startsWith("large"));
      row(out, scenario, "p99.9 µs", systems, ratios, bySystem, Result::p999Micros, latency);
      if (!scenario.startsWith("fanout")) {
        row(out, scenario, "heap B per payload B (both JVMs)", systems, ratios, bySystem, Result::heapPerPayloadByte,
            false);
        row(out, scenario, "young GCs per window (both JVMs)", systems, ratios, bySystem, r -> r.youngGcs(), false);
        row(out, scenario, "full GCs per window (both JVMs)", systems, ratios, bySystem, r -> r.fullGcs(), false);
      }
      if (scenario.startsWith("pingpong") || scenario.startsWith("throughput")) {
        row(out, scenario, "p50 µs, last warm-up second", systems, ratios, bySystem, Result::warmupP50Micros, false);
      }
      row(out, scenario, "host steal % (measured windows)", systems, ratios, bySystem, Result::hostStealPercent, false);
    }
    if (systems.contains("netty") && systems.contains("grpc")) {
      // the targets are ratios to the peers: only a run that has them can check them
      out.append('\n').append(targets(byScenario, "frpc-direct")).append('\n').append(targets(byScenario, "frpc"));
      for (String bytes : BLOB_SYSTEMS) {
        if (systems.contains(bytes)) {
          out.append('\n').append(targets(byScenario, bytes));
        }
      }
    }
    return out.toString();
  }

  private static void row(StringBuilder out, String scenario, String metric, List<String> systems,
      List<String[]> ratios, Map<String, List<Result>> bySystem, ToDoubleFunction<Result> value, boolean withRatios) {
    out.append("| ").append(scenario).append(" | ").append(metric).append(" |");
    for (String system : systems) {
      Double median = median(bySystem.get(system), value);
      out.append(' ').append(median == null || median.isNaN() ? "" : format(median)).append(" |");
    }
    for (String[] r : ratios) {
      out.append(' ').append(withRatios ? ratio(median(bySystem.get(r[0]), value), median(bySystem.get(r[1]), value))
          : "").append(" |");
    }
    out.append('\n');
  }

  /** The targets of the performance issues, checked for one frpc configuration. */
  private static String targets(Map<String, Map<String, List<Result>>> s, String frpc) {
    StringBuilder out = new StringBuilder("Targets for " + TITLES.get(frpc) + ":\n\n");
    target(out, s, "pingpong-32", frpc, "netty", Result::p50Micros, "ping-pong 32 B p50 ≤ 2× raw Netty", r -> r <= 2);
    target(out, s, "pingpong-32", frpc, "grpc", Result::p50Micros, "ping-pong 32 B p50 ≤ 1.0× gRPC direct",
        r -> r <= 1.0);
    Double p999 = median(get(s, "pingpong-32", frpc), Result::p999Micros);
    if (p999 != null) {
      out.append(String.format(Locale.ROOT, "- ping-pong 32 B p99.9 ≤ 1 ms: %.0f µs %s%n", p999,
          p999 <= 1000 ? "✓" : "✗"));
    }
    for (String size : List.of("32", "4096")) {
      target(out, s, "throughput-" + size + "-64", frpc, "grpc", Result::callsPerSecond, "throughput " + size
          + " B ≥ 3× gRPC direct", r -> r >= 3);
      target(out, s, "throughput-" + size + "-64", frpc, "netty", Result::callsPerSecond, "throughput " + size
          + " B ≥ 0.7× raw Netty", r -> r >= 0.7);
    }
    target(out, s, "throughput-262144-64", frpc, "netty", Result::callsPerSecond, "throughput 256 KiB ≥ 0.8× raw Netty",
        r -> r >= 0.8);
    target(out, s, "throughput-262144-64", frpc, "grpc", Result::callsPerSecond, "throughput 256 KiB ≥ 1.3× gRPC direct",
        r -> r >= 1.3);
    target(out, s, "pingpong-262144", frpc, "netty", Result::p50Micros, "ping-pong 256 KiB p50 ≤ 1.2× raw Netty",
        r -> r <= 1.2);
    for (String scenario : List.of("pingpong-262144", "throughput-262144-64", "large-67108864-64")) {
      Double heap = median(get(s, scenario, frpc), Result::heapPerPayloadByte);
      if (heap != null && !heap.isNaN()) {
        out.append(String.format(Locale.ROOT, "- %s: ≤ 1.5 heap bytes per payload byte: %.2f %s%n", scenario, heap,
            heap <= 1.5 ? "✓" : "✗"));
      }
    }
    Double large = median(get(s, "large-67108864-64", frpc), Result::p99Micros);
    Double fullGcs = median(get(s, "large-67108864-64", frpc), r -> r.fullGcs());
    if (large != null) {
      out.append(String.format(Locale.ROOT, "- small-call p99 while a 64 MiB call is in flight ≤ 5 ms: %.2f ms %s%n",
          large / 1000, large <= 5000 ? "✓" : "✗"));
      out.append(String.format(Locale.ROOT, "- no full GC while 64 MiB calls run: %.1f per window %s%n", fullGcs,
          fullGcs == 0 ? "✓" : "✗"));
    }
    Double seed = median(get(s, "seed-10000-1024", frpc), Result::callsPerSecond);
    if (seed != null) {
      out.append(String.format(Locale.ROOT, "- seed benchmark (10,000 concurrent 1 KiB mod calls) ≥ 230,000 calls/s: "
          + "%,.0f calls/s %s%n", seed, seed >= 230_000 ? "✓" : "✗"));
    }
    Double one = median(get(s, "fanout-32-one", frpc), Result::p50Micros);
    Double all = median(get(s, "fanout-32-all", frpc), Result::p50Micros);
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
    return value >= 1000 ? String.format(Locale.ROOT, "%,.0f", value)
        : String.format(Locale.ROOT, value < 10 && value != Math.rint(value) ? "%.2f" : "%.1f", value);
  }
}
