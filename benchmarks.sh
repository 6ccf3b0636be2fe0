#!/usr/bin/env bash
# Runs the load generator: raw Netty, gRPC-java and frpc, each as a server JVM and a client JVM on
# loopback with identical flags, and prints one markdown table of medians with the ratios.
#
#   ./benchmarks.sh          quick smoke run (under 2 minutes)
#   ./benchmarks.sh full     raw Netty, gRPC (direct executor and default), frpc (defaults and direct), every
#                            scenario: 10 s warm-up and three 10 s windows each (about 35 minutes)
#   ./benchmarks.sh fanout   frpc allNodes() to 4 nodes against one node
#   ./benchmarks.sh custom <systems,...> <scenarios,...> [warm-up s] [measured s] [windows]
#                            e.g. custom netty,frpc-direct throughput-4096-64,pingpong-32 5 5 1
#   ./benchmarks.sh profile <system> <scenario>
#                            CPU profile of both JVMs (async-profiler from Maven Central, 1 ms samples) during
#                            the scenario; prints the hottest frames of each and leaves flame-graph input
#                            (collapsed stacks) in frpc-benchmarks/target/profile/
#   ./benchmarks.sh jmh      the JMH codec benchmark with the GC profiler (allocation per call)
#   BENCH_JVM_ARGS="..."     extra flags for the server and client JVMs of the load generator, e.g.
#                            BENCH_JVM_ARGS=-Xlog:gc:file=/tmp/gc-%p.log ./benchmarks.sh custom frpc large-67108864-64
#   ./benchmarks.sh security frpc plain, with a shared secret (every frame sealed) and with TLS, and their ratios (about 10 minutes)
#   ./benchmarks.sh metrics  frpc without metrics and tracing, with Micrometer, with tracing, and the ratios (about 7 minutes)
#   ./benchmarks.sh typed    frpc's string form against a typed client of the same module (about 5 minutes)
#   ./benchmarks.sh pubsub [warm-up s] [measured s] [repetitions] [window]
#                            frpc pub/sub against Redis pub/sub (a redis-server process, Lettuce), publisher and
#                            subscribers in one JVM; defaults 5 5 3 1000 (about 5 minutes)
#   ./benchmarks.sh scale [registrations] [watchers] [measured s] [nodes]
#                            Redis discovery at scale on a redis-server process: simulated registrations refreshing
#                            every second and watchers, each in a JVM of its own (process CPU) and all in this one
#                            (thread CPU, notifications, Redis load, register -> seen, frozen -> gone), then one
#                            caller with real frpc nodes (connect time, allNodes() fan-out); defaults 1000 10 30 50
#                            (about 3 minutes)
#   ./benchmarks.sh balance [warm-up s] [measured s] [repetitions] [callers]
#                            least-loaded choice against round robin: three frpc server nodes of one name and a caller
#                            node in one JVM, node 3 equal, 20 ms slower per call, or paused 50 ms every second;
#                            defaults 2 5 5 8 (about 4 minutes)
set -euo pipefail
cd "$(dirname "$0")"

mode="${1:-quick}"
case "$mode" in
  quick|full|fanout|custom|profile|jmh|security|metrics|typed|pubsub|scale|balance) ;;
  *) echo "usage: $0 [quick|full|fanout|custom|profile|jmh|security|metrics|typed|pubsub|scale|balance]" >&2; exit 2 ;;
esac

./mvnw -B -q package -DskipTests -pl frpc-benchmarks -am
classpath="frpc-benchmarks/target/classes:$(cat frpc-benchmarks/target/classpath.txt)"

if [ "$mode" = jmh ]; then
  exec java -cp "$classpath" org.openjdk.jmh.Main 'io.frpc.bench.codec.CodecBenchmark' -prof gc
fi
if [ "$mode" = pubsub ]; then
  # publisher and subscribers share this one JVM (the transport comparison's flags are in BenchmarkRunner)
  exec java -Xms2g -Xmx2g -XX:+UseG1GC -Dio.netty.leakDetection.level=disabled -cp "$classpath" \
    io.frpc.bench.pubsub.PubSubBenchmark frpc-benchmarks/target/benchmark-pubsub.md "${@:2}"
fi
if [ "$mode" = scale ]; then
  # load generator, in-JVM watchers and frpc nodes share this JVM (CPU told apart by thread); the watcher processes
  # are started by it with the same class path
  exec java -Xms1g -Xmx1g -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled -cp "$classpath" \
    io.frpc.bench.scale.ScaleBenchmark frpc-benchmarks/target/benchmark-scale.md "${@:2}"
fi
if [ "$mode" = balance ]; then
  # servers and caller share this one JVM
  exec java -Xms1g -Xmx1g -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled -cp "$classpath" \
    io.frpc.bench.balance.BalanceBenchmark frpc-benchmarks/target/benchmark-balance.md "${@:2}"
fi
if [ "$mode" = profile ]; then
  [ $# -eq 3 ] || { echo "usage: $0 profile <system> <scenario>, e.g. profile frpc-direct throughput-32-64" >&2; exit 2; }
  out=frpc-benchmarks/target/profile
  rm -rf "$out" && mkdir -p "$out"
  ./mvnw -B -q dependency:copy -Dartifact=tools.profiler:async-profiler:4.1:jar:linux-x64 -DoutputDirectory="$out"
  (cd "$out" && unzip -q -o async-profiler-4.1-linux-x64.jar 'linux-x64/*')
  BENCH_JVM_ARGS="${BENCH_JVM_ARGS:-} -agentpath:$PWD/$out/linux-x64/libasyncProfiler.so=start,event=cpu,interval=1ms,file=$PWD/$out/%p.collapsed,collapsed" \
    java -Xmx256m -cp "$classpath" io.frpc.bench.BenchmarkRunner custom "$out/report.md" "$2" "$3" 5 10 1
  for stacks in "$out"/*.collapsed; do
    echo "== $stacks: hottest frames (self time) on the I/O threads"
    { grep 'SingleThreadIoEventLoop' "$stacks" || true; } | awk '{n=$NF; $NF=""; k=split($0, f, ";"); self[f[k]]+=n; total+=n}
      END {for (s in self) printf "%5.1f%% %s\n", 100*self[s]/total, s}' | sort -rn | head -15
  done
  exit 0
fi
if [ "$mode" = custom ]; then
  [ $# -ge 3 ] || { echo "usage: $0 custom <systems,...> <scenarios,...> [warm-up s] [measured s] [windows]" >&2; exit 2; }
  exec java -Xmx256m -cp "$classpath" io.frpc.bench.BenchmarkRunner custom frpc-benchmarks/target/benchmark-custom.md \
    "${@:2}"
fi
exec java -Xmx256m -cp "$classpath" io.frpc.bench.BenchmarkRunner "$mode" "frpc-benchmarks/target/benchmark-$mode.md"
