#!/usr/bin/env bash
# The frpc demo: builds the project, starts two sample server nodes (cluster_server:1 on port 9688 and
# cluster_server:2 on port 9689, static discovery, no Redis) and runs the sample client, which calls
# module test_m in every routing mode and exits 0 only if every case behaved as specified.
#
#   ./demo.sh          static discovery (the nodes' addresses are in the samples' application.yml)
#   ./demo.sh redis    Redis discovery through the Redis at REDIS_HOST:REDIS_PORT (default localhost:6379)
#   ./demo.sh observability
#                      the two nodes and the client, which then drives load, on free ports, with a real Prometheus
#                      (Debian package) scraping their /actuator/prometheus and a real Zipkin (io.zipkin:zipkin-server
#                      from Maven Central) receiving their spans; checks through their HTTP APIs that every query of
#                      docs/grafana/frpc-dashboard.json returns a series with a number, that Zipkin holds a trace from the
#                      client to a node and that a handler's log line carries the MDC; prints PASS or FAIL per check
#                      and exits non-zero on a failure. Installs prometheus, chromium, python3 and curl with apt-get
#                      when missing (as root). Logs, the generated Prometheus configuration and a screenshot of
#                      Prometheus's graph page (headless Chromium) are left in target/demo/observability/.
set -euo pipefail
cd "$(dirname "$0")"

profile=()
case "${1:-}" in
  "") ;;
  redis) profile=(--spring.profiles.active=redis) ;;
  observability) ;;
  *) echo "usage: $0 [redis|observability]" >&2; exit 2 ;;
esac

server_jar=frpc-sample-server/target/frpc-sample-server-0.1.0-SNAPSHOT-exec.jar
client_jar=frpc-sample-client/target/frpc-sample-client-0.1.0-SNAPSHOT.jar

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  # a JVM that does not stop within 10 s (one that ran out of memory) is killed
  for _ in $(seq 20); do
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && break; done || break
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

# Installs the Debian packages of the commands that are missing: need <command>=<package>...
need() {
  local missing=()
  for pair in "$@"; do command -v "${pair%%=*}" > /dev/null || missing+=("${pair#*=}"); done
  [ "${#missing[@]}" -eq 0 ] && return
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing ${missing[*]}: run 'sudo apt-get install -y ${missing[*]}' (or this script as root)." >&2
    exit 1
  fi
  echo "Installing ${missing[*]} with apt-get..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
}

# $1 distinct TCP ports nothing listens on now (all held open until all are chosen: the kernel hands out a port
# it just gave back again).
free_ports() {
  python3 -c 'import socket, sys
sockets = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in sockets))' "$1"
}

# Waits up to $2 seconds for the URL $1 to answer with a 2xx status.
await_http() {
  local deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$1" 2> /dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "FAIL  $1 did not answer within $2 s" >&2
      exit 1
    fi
    sleep 1
  done
}

# One pass of the checks against Prometheus (port $1) and Zipkin (port $2); PASS / FAIL lines, exit 1 on a failure.
check_observability() {
  python3 - "$1" "$2" docs/grafana/frpc-dashboard.json "$out" << 'PY'
import json, re, sys, urllib.parse, urllib.request

prometheus, zipkin, dashboard, out = sys.argv[1:5]
failed = 0

def get(url):
    with urllib.request.urlopen(url, timeout=10) as reply:
        return json.load(reply)

def report(ok, what):
    global failed
    failed += not ok
    print(("PASS  " if ok else "FAIL  ") + what)

for panel in json.load(open(dashboard))["panels"]:
    for target in panel["targets"]:
        # Grafana's $__rate_interval is at least four scrape intervals; 1m also smooths the load's phases
        expr = target["expr"].replace("$__rate_interval", "1m")
        try:
            series = get(f"http://127.0.0.1:{prometheus}/api/v1/query?query={urllib.parse.quote(expr)}")["data"]["result"]
        except Exception as e:
            series, expr = [], f"{expr} ({e})"
        shown = sorted("{" + ",".join(f"{k}={v}" for k, v in s["metric"].items()) + "} " + s["value"][1] for s in series)
        # a quantile over a window without calls is NaN: at least one series must hold a number
        numbers = [s for s in series if s["value"][1] != "NaN"]
        report(bool(numbers), f"dashboard \"{panel['title']}\" {target['refId']}: {len(series)} series "
               f"({len(numbers)} with a number) for {expr}"
               + (": " + "; ".join(shown[:2]) + ("; …" if len(shown) > 2 else "") if series else ""))

try:
    traces = get(f"http://127.0.0.1:{zipkin}/api/v2/traces?serviceName=frpc_client&spanName=test_m.ping&limit=20")
except Exception as e:
    traces = []
    print(f"      Zipkin did not answer: {e}")
crossing = next(((c, s) for trace in traces for c in trace for s in trace
                 if c.get("kind") == "CLIENT" and c["localEndpoint"]["serviceName"] == "frpc_client"
                 and s.get("kind") == "SERVER" and s["localEndpoint"]["serviceName"] == "cluster_server"
                 and s["traceId"] == c["traceId"] and s.get("parentId") == c["id"]), None)
report(crossing is not None, "Zipkin holds a trace crossing nodes: " + (
    f"trace {crossing[0]['traceId']}: client span {crossing[0]['name']} {crossing[0]['id']} on frpc_client, "
    f"server span {crossing[1]['name']} {crossing[1]['id']} (parent {crossing[1]['parentId']}) on cluster_server"
    if crossing else f"none of the {len(traces)} traces of frpc_client has a server span under its client span"))

lines = [line.strip() for n in (1, 2) for line in open(f"{out}/server-{n}.log") if "sent hello to" in line]
logged = [line for line in lines if re.search(r"\[\S* frpc_client:1 test_m hello\] ", line)]
report(bool(logged), "a handler's log line carries frpc.caller, frpc.module and frpc.command from the MDC: "
       + (logged[0] if logged else f"none of {len(lines)} hello lines does"))
sys.exit(1 if failed else 0)
PY
}

observability() {
  need python3=python3 curl=curl prometheus=prometheus chromium=chromium
  out=target/demo/observability
  rm -rf "$out"
  mkdir -p "$out/prometheus-data"

  echo "Building the sample nodes (first run downloads Maven and the dependencies)..."
  ./mvnw -B -q package -DskipTests -pl frpc-sample-server,frpc-sample-client -am
  local zipkin_version=3.5.1
  local zipkin_jar=target/demo/zipkin/zipkin-server-$zipkin_version-exec.jar
  if [ ! -f "$zipkin_jar" ]; then
    echo "Fetching Zipkin $zipkin_version from Maven Central..."
    ./mvnw -B -q -N dependency:copy -Dartifact="io.zipkin:zipkin-server:$zipkin_version:jar:exec" \
      -DoutputDirectory=target/demo/zipkin
  fi

  local ports
  read -r -a ports <<< "$(free_ports 7)"
  local zipkin_port=${ports[0]} prometheus_port=${ports[1]} client_http=${ports[2]}
  QUERY_PORT=$zipkin_port MEM_MAX_SPANS=200000 java -Xmx768m -jar "$zipkin_jar" > "$out/zipkin.log" 2>&1 &
  pids+=($!)
  echo "Started Zipkin $zipkin_version on http://127.0.0.1:$zipkin_port (log: $out/zipkin.log)"

  local tracing=(--management.tracing.export.enabled=true
    "--management.tracing.export.zipkin.endpoint=http://127.0.0.1:$zipkin_port/api/v2/spans")
  local targets=() nodes=()
  for id in 1 2; do
    local port=${ports[$((2 * id + 1))]} http=${ports[$((2 * id + 2))]}
    java -jar "$server_jar" --frpc.node.id="$id" --frpc.server.port="$port" --server.port="$http" "${tracing[@]}" \
      > "$out/server-$id.log" 2>&1 &
    pids+=($!)
    targets+=("'127.0.0.1:$http'")
    nodes+=("--frpc.discovery.static.nodes.cluster_server.$id=127.0.0.1:$port")
    echo "Started cluster_server:$id on port $port, Actuator on http://127.0.0.1:$http/actuator (log: $out/server-$id.log)"
  done
  targets+=("'127.0.0.1:$client_http'")

  cat > "$out/prometheus.yml" << YML
global:
  scrape_interval: 2s
  evaluation_interval: 2s
scrape_configs:
  - job_name: frpc
    metrics_path: /actuator/prometheus
    static_configs:
      - targets: [$(IFS=,; echo "${targets[*]}")]
YML
  prometheus --config.file="$out/prometheus.yml" --storage.tsdb.path="$out/prometheus-data" \
    --web.listen-address="127.0.0.1:$prometheus_port" > "$out/prometheus.log" 2>&1 &
  pids+=($!)
  echo "Started Prometheus $(prometheus --version 2>&1 | head -1 | cut -d' ' -f3) on http://127.0.0.1:$prometheus_port," \
    "scraping /actuator/prometheus of the two nodes and the client every 2 s (config: $out/prometheus.yml)"

  await_http "http://127.0.0.1:$zipkin_port/health" 120
  await_http "http://127.0.0.1:$prometheus_port/-/ready" 60
  echo "Running the sample client: the demo scenario, then load until the checks are done; Actuator on" \
    "http://127.0.0.1:$client_http/actuator (log: $out/client.log)..."
  java -jar "$client_jar" --spring.main.web-application-type=servlet --server.port="$client_http" \
    --sample.load.duration=180s "${nodes[@]}" "${tracing[@]}" > "$out/client.log" 2>&1 &
  local client=$!
  pids+=($client)

  # the first checks after a minute of the client (the dashboard's rates are over 1m), then every 5 s for 2 minutes
  local attempt=1 status=1
  sleep 60
  until check_observability "$prometheus_port" "$zipkin_port" > "$out/checks.txt"; do
    if [ "$attempt" -ge 24 ] || ! kill -0 "$client" 2> /dev/null; then
      break
    fi
    attempt=$((attempt + 1))
    sleep 5
  done
  grep -q '^FAIL' "$out/checks.txt" || status=0

  local quote='import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))'
  local graph
  graph="g0.expr=$(python3 -c "$quote" 'sum by (module, command) (rate(frpc_server_requests_seconds_count[1m]))')"
  graph+="&g0.tab=0&g0.range_input=2m&g1.tab=0&g1.range_input=2m&g1.expr="
  graph+="$(python3 -c "$quote" 'histogram_quantile(0.99, sum by (le, module, command) (rate(frpc_client_calls_seconds_bucket[1m])))')"
  if chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,1400 \
      --virtual-time-budget=15000 --screenshot="$out/prometheus-graph.png" \
      "http://127.0.0.1:$prometheus_port/graph?$graph" > "$out/chromium.log" 2>&1; then
    echo "Screenshot of Prometheus's graph page: $out/prometheus-graph.png"
  else
    echo "No screenshot: headless Chromium failed (see $out/chromium.log)"
  fi

  echo
  echo "Checks (attempt $attempt):"
  cat "$out/checks.txt"
  if [ "$status" -eq 0 ]; then
    echo "All $(grep -c '^PASS' "$out/checks.txt") checks passed."
  else
    echo "$(grep -c '^FAIL' "$out/checks.txt") of $(grep -c -E '^(PASS|FAIL)' "$out/checks.txt") checks failed."
  fi
  exit "$status"
}

if [ "${1:-}" = observability ]; then
  observability
fi

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

for id in 1 2; do
  port=$((9687 + id))
  java -jar "$server_jar" --frpc.node.id="$id" --frpc.server.port="$port" --server.port="$((8080 + id))" \
    "${profile[@]}" > "$logs/server-$id.log" 2>&1 &
  pids+=($!)
  echo "Started cluster_server:$id on port $port, Actuator on http://localhost:$((8080 + id))/actuator (log: $logs/server-$id.log)"
done

echo "Running the sample client..."
java -jar "$client_jar" "${profile[@]}"
