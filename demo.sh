#!/usr/bin/env bash
# The frpc demo: builds the project, starts two sample server nodes (cluster_server:1 on port 9688 and
# cluster_server:2 on port 9689, static discovery, no Redis) and runs the sample client, which calls
# module test_m in every routing mode and exits 0 only if every case behaved as specified.
#
#   ./demo.sh          static discovery (the nodes' addresses are in the samples' application.yml)
#   ./demo.sh redis    Redis discovery through the Redis at REDIS_HOST:REDIS_PORT (default localhost:6379)
set -euo pipefail
cd "$(dirname "$0")"

profile=()
case "${1:-}" in
  "") ;;
  redis) profile=(--spring.profiles.active=redis) ;;
  *) echo "usage: $0 [redis]" >&2; exit 2 ;;
esac

if [ "${#profile[@]}" -gt 0 ]; then
  redis_host=${REDIS_HOST:-localhost}
  redis_port=${REDIS_PORT:-6379}
  # A Redis answers PING with +PONG; anything else (nothing listening, another service) stops the demo here.
  if ! reply=$(timeout 3 bash -c "exec 3<>/dev/tcp/$redis_host/$redis_port && printf 'PING\r\n' >&3 && head -c 5 <&3" 2>/dev/null) \
      || [ "$reply" != "+PONG" ]; then
    echo "No Redis answers at $redis_host:$redis_port: start one (for example 'redis-server --port $redis_port')" >&2
    echo "or point REDIS_HOST / REDIS_PORT at yours, then run '$0 redis' again." >&2
    exit 1
  fi
  echo "Redis answers at $redis_host:$redis_port"
fi

echo "Building frpc (first run downloads Maven and the dependencies)..."
./mvnw -B -q install -DskipTests

logs=target/demo
mkdir -p "$logs"
server_jar=frpc-sample-server/target/frpc-sample-server-0.1.0-SNAPSHOT-exec.jar
client_jar=frpc-sample-client/target/frpc-sample-client-0.1.0-SNAPSHOT.jar

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

for id in 1 2; do
  port=$((9687 + id))
  java -jar "$server_jar" --frpc.node.id="$id" --frpc.server.port="$port" --server.port="$((8080 + id))" \
    "${profile[@]}" > "$logs/server-$id.log" 2>&1 &
  pids+=($!)
  echo "Started cluster_server:$id on port $port, Actuator on http://localhost:$((8080 + id))/actuator (log: $logs/server-$id.log)"
done

echo "Running the sample client..."
java -jar "$client_jar" "${profile[@]}"
