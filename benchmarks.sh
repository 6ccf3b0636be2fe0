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
#   ./benchmarks.sh jmh      the JMH codec benchmark with the GC profiler (allocation per call)
#   ./benchmarks.sh security frpc plain, with a shared secret and with TLS, and their ratios (about 8 minutes)
#   ./benchmarks.sh metrics  frpc without metrics and tracing, with Micrometer, with tracing, and the ratios (about 7 minutes)
#   ./benchmarks.sh typed    frpc's string form against a typed client of the same module (about 5 minutes)
#   ./benchmarks.sh pubsub [warm-up s] [measured s] [repetitions] [window]
#                            frpc pub/sub against Redis pub/sub (a redis-server process, Lettuce), publisher and
#                            subscribers in one JVM; defaults 5 5 3 1000 (about 5 minutes)
set -euo pipefail
cd "$(dirname "$0")"

mode="${1:-quick}"
case "$mode" in
  quick|full|fanout|custom|jmh|security|metrics|typed|pubsub) ;;
  *) echo "usage: $0 [quick|full|fanout|custom|jmh|security|metrics|typed|pubsub]" >&2; exit 2 ;;
esac

./mvnw -B -q package -DskipTests -pl frpc-benchmarks -am
classpath="frpc-benchmarks/target/classes:$(cat frpc-benchmarks/target/classpath.txt)"

if [ "$mode" = jmh ]; then
  exec java -cp "$classpath" org.openjdk.jmh.Main 'io.frpc.internal.protocol.CodecBenchmark' -prof gc
fi
if [ "$mode" = pubsub ]; then
  # the flags of the load generator's server and client JVMs
  exec java -Xms2g -Xmx2g -XX:+UseG1GC -Dio.netty.leakDetection.level=disabled -cp "$classpath" \
    io.frpc.bench.pubsub.PubSubBenchmark frpc-benchmarks/target/benchmark-pubsub.md "${@:2}"
fi
if [ "$mode" = custom ]; then
  exec java -Xmx256m -cp "$classpath" io.frpc.bench.BenchmarkRunner custom frpc-benchmarks/target/benchmark-custom.md \
    "${@:2}"
fi
exec java -Xmx256m -cp "$classpath" io.frpc.bench.BenchmarkRunner "$mode" "frpc-benchmarks/target/benchmark-$mode.md"
