package io.frpc.bench;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * One measured repetition of one scenario on one system; travels from the client JVM to the runner as
 * a {@code RESULT} line.
 *
 * @param system         system name
 * @param scenario       scenario name, e.g. {@code throughput-4096-64}
 * @param rep            repetition number
 * @param callsPerSecond completed calls per second
 * @param p50Micros      median latency
 * @param p99Micros      99th percentile latency
 * @param p999Micros     99.9th percentile latency
 * @param warmupP50Micros median latency of the last second of the scenario's warm-up (NaN where the
 *                       scenario has no continuous warm-up): near {@code p50Micros} when the warm-up reached
 *                       steady state
 * @param heapPerPayloadByte heap bytes both JVMs allocated in the window per payload byte the calls carried (request
 *                       and reply counted); NaN where not measured
 * @param youngGcs       young collections of both JVMs in the window (-1 where not measured)
 * @param fullGcs        full collections of both JVMs in the window (-1 where not measured)
 * @param hostStealPercent share of the host's CPU time stolen by the hypervisor during the window ({@link HostCpu});
 *                       NaN where not measured
 */
record Result(String system, String scenario, int rep, double callsPerSecond, double p50Micros, double p99Micros,
    double p999Micros, double warmupP50Micros, double heapPerPayloadByte, long youngGcs, long fullGcs,
    double hostStealPercent) {

  Result(String system, String scenario, int rep, double callsPerSecond, double p50Micros, double p99Micros,
      double p999Micros, double warmupP50Micros) {
    this(system, scenario, rep, callsPerSecond, p50Micros, p99Micros, p999Micros, warmupP50Micros, Double.NaN, -1, -1,
        Double.NaN);
  }

  /**
   * This result with the window's figures measured outside the client: both JVMs' allocation and collections, the
   * payload bytes, and the host's steal.
   */
  Result withWindow(JvmMemory bothJvms, long payloadBytes, double hostStealPercent) {
    return new Result(system, scenario, rep, callsPerSecond, p50Micros, p99Micros, p999Micros, warmupP50Micros,
        payloadBytes == 0 ? Double.NaN : (double) bothJvms.allocatedBytes() / payloadBytes, bothJvms.youngGcs(),
        bothJvms.fullGcs(), hostStealPercent);
  }

  static Result of(String system, String scenario, int rep, long calls, long nanos, Histogram latencies,
      Histogram lastWarmupSecond) {
    return new Result(system, scenario, rep, calls * 1e9 / nanos, latencies.getValueAtPercentile(50) / 1e3,
        latencies.getValueAtPercentile(99) / 1e3, latencies.getValueAtPercentile(99.9) / 1e3,
        lastWarmupSecond == null || lastWarmupSecond.getTotalCount() == 0 ? Double.NaN
            : lastWarmupSecond.getValueAtPercentile(50) / 1e3);
  }

  String line() {
    return String.format(Locale.ROOT, "RESULT %s %s %d %.1f %.2f %.2f %.2f %.2f", system, scenario, rep,
        callsPerSecond, p50Micros, p99Micros, p999Micros, warmupP50Micros);
  }

  static Result parse(String line) {
    String[] f = line.split(" ");
    return new Result(f[1], f[2], Integer.parseInt(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
        Double.parseDouble(f[6]), Double.parseDouble(f[7]), Double.parseDouble(f[8]));
  }
}
