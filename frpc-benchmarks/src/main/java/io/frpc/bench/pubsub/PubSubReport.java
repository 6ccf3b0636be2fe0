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
  private final PubSubTiming timing;
  private final String redisVersion;

  PubSubReport(List<PubSubResult> results, PubSubTiming timing, String redisVersion) {
    this.results = List.copyOf(results);
    this.timing = timing;
    this.redisVersion = redisVersion;
  }

  String render(long runNanos) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, """
        Pub/sub: frpc against Redis %s (redis-server from embedded-redis, client Lettuce), command \
        `./benchmarks.sh pubsub`; per run %d s warm-up and %d s measured, %d repetition(s), medians; the systems \
        alternate within each repetition. The whole benchmark took %.1f min.

        One JVM holds the publisher and every subscriber (frpc: one node per subscriber, each with its own \
        threads; Redis: one Lettuce connection per subscriber on a shared client); redis-server is a separate \
        process; everything is on 127.0.0.1. Throughput runs publish as fast as a window allows: at most %,d \
        messages published but not yet received by the slowest subscriber, the same loop for both systems. \
        The latency run publishes one message, then sleeps %d µs; latency is publish-to-delivery, from \
        System.nanoTime() stamped into the payload. Payloads are byte arrays of the stated size.

        Machine: %s. JVM flags: %s.

        | scenario | metric | Redis | frpc | frpc/Redis |
        |---|---|---|---|---|
        """, redisVersion, timing.warmup().toSeconds(), timing.measure().toSeconds(), timing.repetitions(),
        runNanos / 60e9, ScenarioRun.WINDOW, ScenarioRun.PACE.toNanos() / 1000, machine(), jvmFlags()));
    for (Row row : ROWS) {
      Double redis = median(row.scenario(), "redis", row.value());
      Double frpc = median(row.scenario(), "frpc", row.value());
      out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", row.scenario().title(), row.metric(),
          format(redis), format(frpc), redis == null || frpc == null ? "" : String.format(Locale.ROOT, "%.2f",
              frpc / redis)));
    }
    out.append("""

        Delivery check, summed over all repetitions (0 expected everywhere): messages not received when a run \
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
