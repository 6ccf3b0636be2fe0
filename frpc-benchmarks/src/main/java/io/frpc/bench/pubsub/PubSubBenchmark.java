package io.frpc.bench.pubsub;

import ch.qos.logback.classic.Level;
import io.frpc.test.redis.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares frpc pub/sub with Redis pub/sub on this machine: starts redis-server, runs every
 * {@link PubSubScenario} on both systems for each repetition, prints the markdown report and writes it to a
 * file, then stops Redis. {@code PubSubBenchmark <report-file> [warm-up s] [measured s] [repetitions] [window]}.
 */
public final class PubSubBenchmark {

  private PubSubBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      throw new IllegalArgumentException("usage: PubSubBenchmark <report-file> [warm-up s] [measured s] "
          + "[repetitions] [window]");
    }
    // Nothing configures Logback outside Spring Boot, and its default logs Netty and Lettuce at DEBUG.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    Path report = Path.of(args[0]);
    PubSubSettings settings = PubSubSettings.parse(Arrays.copyOfRange(args, 1, args.length));
    long start = System.nanoTime();
    List<PubSubResult> results = new ArrayList<>();
    String redisVersion;
    try (TestRedis redis = TestRedis.startEmbedded(TestRedis.Options.defaults());
        RedisPubSub redisPubSub = new RedisPubSub(redis.host(), redis.port())) {
      redisVersion = redisPubSub.serverVersion();
      System.err.println("Redis " + redisVersion + " on port " + redis.port());
      FrpcPubSub frpc = new FrpcPubSub();
      for (int rep = 1; rep <= settings.repetitions(); rep++) {
        for (PubSubScenario scenario : PubSubScenario.ALL) {
          // Alternating which system goes first spreads any drift of the machine over both.
          for (PubSubSystem system : rep % 2 == 1 ? List.of(redisPubSub, frpc) : List.of(frpc, redisPubSub)) {
            PubSubResult result = ScenarioRun.run(system, scenario, rep, settings);
            results.add(result);
            progress(result);
          }
        }
      }
    }
    String table = new PubSubReport(results, settings, redisVersion).render(System.nanoTime() - start);
    System.out.println(table);
    Files.createDirectories(report.toAbsolutePath().getParent());
    Files.writeString(report, table);
    System.err.println("Report written to " + report);
  }

  private static void progress(PubSubResult r) {
    System.err.printf(Locale.ROOT, "  %-28s %-5s rep %d: published %,10.0f/s  delivered %,10.0f/s  p50 %8.1f us  "
        + "p99 %8.1f us  not received %d  out of sequence %d  dropped %d%n", r.scenario().title(), r.system(), r.rep(),
        r.publishedPerSecond(), r.deliveredPerSecond(), r.p50Micros(), r.p99Micros(), r.undelivered(),
        r.outOfSequence(), r.reportedDrops());
  }
}
