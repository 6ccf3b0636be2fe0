package io.frpc.bench.pubsub;

import static io.frpc.bench.pubsub.PubSubScenario.LATENCY_32_B;
import static io.frpc.bench.pubsub.PubSubScenario.ONE_SUBSCRIBER_1_KIB;
import static io.frpc.bench.pubsub.PubSubScenario.ONE_SUBSCRIBER_32_B;
import static io.frpc.bench.pubsub.PubSubScenario.TEN_SUBSCRIBERS_32_B;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The markdown report: how the numbers were made, one table of medians over the repetitions with the ratio
 * frpc/Redis, and a delivery check that counts every loss the subscribers saw.
 */
final class PubSubReport {

  private static final List<Row> ROWS = List.of(
      new Row(ONE_SUBSCRIBER_32_B, "delivered msg/s (higher is better)", PubSubResult::deliveredPerSecond),
      new Row(ONE_SUBSCRIBER_1_KIB, "delivered msg/s (higher is better)", PubSubResult::deliveredPerSecond),
      new Row(TEN_SUBSCRIBERS_32_B, "delivered msg/s, all subscribers (higher is better)",
          PubSubResult::deliveredPerSecond),
      new Row(TEN_SUBSCRIBERS_32_B, "published msg/s (higher is better)", PubSubResult::publishedPerSecond),
      new Row(LATENCY_32_B, "p50 µs (lower is better)", PubSubResult::p50Micros),
      new Row(LATENCY_32_B, "p99 µs (lower is better)", PubSubResult::p99Micros),
      new Row(LATENCY_32_B, "published msg/s (the pace reached)", PubSubResult::publishedPerSecond));

  private final List<PubSubResult> results;
  private final PubSubSettings settings;
  private final String redisVersion;

  PubSubReport(List<PubSubResult> results, PubSubSettings settings, String redisVersion) {
    this.results = List.copyOf(results);
    this.settings = settings;
    this.redisVersion = redisVersion;
  }

  String render(long runNanos) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, """
        # frpc pub/sub against Redis pub/sub

        - Command: `%s` (%d s warm-up and %d s measured per run, %d repetition(s), window %,d); the whole \
        benchmark took %.1f min.
        - Machine: %s. JVM flags: %s.
        - Setup: one JVM holds the publisher and every subscriber (frpc: a node per subscriber, each with its \
        own threads; Redis: a Lettuce pub/sub connection per subscriber on one shared client). Redis %s runs as a \
        separate redis-server process (from embedded-redis). Everything is on 127.0.0.1.
        - Throughput runs publish as fast as the window allows: at most %,d messages published but not yet \
        received by the slowest subscriber, the same loop for both systems. The latency run publishes one \
        message, then sleeps %d µs; latency is publish-to-delivery, from System.nanoTime() stamped into the \
        payload. Payloads are byte arrays of the stated size.
        - Medians over the repetitions; the systems take turns going first. frpc/Redis above 1 is better for \
        frpc where higher is better, worse where lower is better.

        | scenario | metric | Redis | frpc | frpc/Redis |
        |---|---|---|---|---|
        """, command(), settings.warmup().toSeconds(), settings.measure().toSeconds(), settings.repetitions(),
        settings.window(), runNanos / 60e9, machine(), jvmFlags(), redisVersion, settings.window(),
        ScenarioRun.PACE.toNanos() / 1000));
    boolean anyLoss = false;
    for (Row row : ROWS) {
      Double redis = median(row.scenario(), "redis", row.value());
      Double frpc = median(row.scenario(), "frpc", row.value());
      boolean loss = lost(row.scenario(), "redis") || lost(row.scenario(), "frpc");
      anyLoss |= loss;
      out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s%s |%n", row.scenario().title(), row.metric(),
          format(redis), format(frpc), redis == null || frpc == null ? "" : String.format(Locale.ROOT, "%.2f",
              frpc / redis), loss ? " †" : ""));
    }
    if (anyLoss) {
      out.append("""

          † Messages were lost in this scenario (see below): each lost message keeps its slot of the window, so \
          the runs that lost messages published with a smaller window than the others.
          """);
    }
    out.append("""

        Delivery check, summed over the repetitions (0 expected everywhere): messages not received when a run \
        ended, deliveries out of sequence, and for frpc the losses reported in ChannelMessage.dropped().

        | scenario | Redis not received | Redis out of sequence | frpc not received | frpc out of sequence \
        | frpc dropped() |
        |---|---|---|---|---|---|
        """);
    for (PubSubScenario scenario : PubSubScenario.ALL) {
      out.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d |%n", scenario.title(),
          sum(scenario, "redis", PubSubResult::undelivered), sum(scenario, "redis", PubSubResult::outOfSequence),
          sum(scenario, "frpc", PubSubResult::undelivered), sum(scenario, "frpc", PubSubResult::outOfSequence),
          sum(scenario, "frpc", PubSubResult::reportedDrops)));
    }
    return out.toString();
  }

  private String command() {
    return settings.equals(PubSubSettings.DEFAULT) ? "./benchmarks.sh pubsub" : String.format(Locale.ROOT,
        "./benchmarks.sh pubsub %d %d %d %d", settings.warmup().toSeconds(), settings.measure().toSeconds(),
        settings.repetitions(), settings.window());
  }

  /** Whether any run of {@code system} in {@code scenario} lost, duplicated or reordered a message. */
  private boolean lost(PubSubScenario scenario, String system) {
    return sum(scenario, system, r -> r.undelivered() + r.outOfSequence() + r.reportedDrops()) > 0;
  }

  private Double median(PubSubScenario scenario, String system, ToDoubleFunction<PubSubResult> value) {
    double[] values = results.stream().filter(r -> r.scenario().equals(scenario) && r.system().equals(system))
        .mapToDouble(value).sorted().toArray();
    int n = values.length;
    if (n == 0) {
      return null;
    }
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  private long sum(PubSubScenario scenario, String system, ToLongFunction<PubSubResult> value) {
    return results.stream().filter(r -> r.scenario().equals(scenario) && r.system().equals(system))
        .mapToLong(value).sum();
  }

  private static String format(Double value) {
    if (value == null) {
      return "";
    }
    return value >= 1000 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
  }

  private static String machine() {
    return String.format(Locale.ROOT, "%s, %d processors, %s %s (%s), Java %s (%s)", cpuModel(),
        Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.version"),
        System.getProperty("os.arch"), System.getProperty("java.version"), System.getProperty("java.vm.name"));
  }

  /** The CPU's model name from {@code /proc/cpuinfo}, where there is one. */
  private static String cpuModel() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    try {
      return Files.readAllLines(cpuinfo).stream().filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).strip()).findFirst().orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  private static String jvmFlags() {
    return String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments());
  }

  /** A line of the main table: a metric of a scenario. */
  private record Row(PubSubScenario scenario, String metric, ToDoubleFunction<PubSubResult> value) {
  }
}
