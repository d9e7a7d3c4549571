#!/usr/bin/env bash
# @connections post load (issue 6 targets: same node ≥ 20,000 posts/s with p99 ≤ 5 ms, cross-node ≥ 10,000 posts/s
# with p99 ≤ 10 ms), measured with `switchboard-bench post` against two Switchboard nodes sharing one redis-server.
#
#   Benchmarks/scripts/post-load.sh
#   SAME_RATE=25000 CROSS_RATE=12000 DURATION=20 Benchmarks/scripts/post-load.sh
#
# Node A holds CONNECTIONS WebSocket clients (the load generator's); posts go to node A's management API (same node)
# or node B's (cross-node: B finds A in the Redis registry, forwards through A's inbox channel and answers 200 only
# after A acknowledges). For each mode: an open loop at the target rate (delivery latency is timed at the receiving
# client from when each post was due), then a closed loop with CONCURRENCY posts in flight for the maximum. The
# servers (both nodes and Redis) share core 0, the load generator has core 1.
#
# Environment (defaults): MODES (same-open same-closed cross-open cross-closed), CONNECTIONS (100), SAME_RATE (20000), CROSS_RATE (10000), CONCURRENCY (32; posts in flight), DURATION
# (10), A_PORT (18101), B_PORT (18102), REDIS_PORT (18103), OUT (.build-bench/results/post-DATE), SKIP_BUILD, PIN,
# WAIT_QUIET (60).
set -euo pipefail
cd "$(dirname "$0")/../.."
source Benchmarks/scripts/common.sh

CONNECTIONS=${CONNECTIONS:-100}
SAME_RATE=${SAME_RATE:-20000}
CROSS_RATE=${CROSS_RATE:-10000}
CONCURRENCY=${CONCURRENCY:-32}
DURATION=${DURATION:-10}
MODES=${MODES:-same-open same-closed cross-open cross-closed}
A_PORT=${A_PORT:-18101}
B_PORT=${B_PORT:-18102}
REDIS_PORT=${REDIS_PORT:-18103}
OUT=${OUT:-$SCRATCH/results/post-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
command -v redis-server >/dev/null || { echo "redis-server is needed (scripts/install-deps.sh installs it)" >&2; exit 1; }

build_products switchboard switchboard-bench
describe_machine
trap stop_all EXIT

start_server "$OUT/redis.log" redis-server --port "$REDIS_PORT" --save "" --appendonly no
for _ in $(seq 1 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
for node in a b; do
    port=$A_PORT
    [[ $node == b ]] && port=$B_PORT
    cat >"$OUT/node-$node.yaml" <<YAML
server: { listen: 127.0.0.1:$port, nodeId: node-$node }
registry: redis://127.0.0.1:$REDIS_PORT/0
throttle: { rateLimit: 1000000000, burstLimit: 1000000000 }
apis:
  - id: chat
    protocolType: WEBSOCKET
    routeSelectionExpression: \$request.body.action
    stages: [ { name: dev } ]
    webSocket: { compression: { mode: "off" } }
    routes:
      \$connect: { integration: { type: MOCK, requestTemplates: { \$default: '{"statusCode": 200}' } } }
      whoami:
        integration:
          type: MOCK
          integrationResponses:
            - { integrationResponseKey: \$default, responseTemplates: { \$default: '{"connectionId":"\$context.connectionId"}' } }
        routeResponseSelectionExpression: \$default
YAML
    start_server "$OUT/node-$node.log" "$BIN/switchboard" serve --config "$OUT/node-$node.yaml" --log-level warning
    wait_ready "$port" /_switchboard/health "$STARTED_PID" "$OUT/node-$node.log"
done

run() {
    local name=$1 post=$2
    shift 2
    [[ " $MODES " == *" $name "* ]] || return 0
    wait_quiet
    echo "== $name"
    "${LOAD_CPU[@]}" "$BIN/switchboard-bench" post --url "ws://127.0.0.1:$A_PORT/dev" --post-url "$post" \
        --connections "$CONNECTIONS" --duration "$DURATION" --json "$OUT/$name.json" --report "$OUT/$name.md" "$@" \
        | tee "$OUT/$name.log"
}
run same-open "http://127.0.0.1:$A_PORT/dev" --rate "$SAME_RATE" --concurrency "$CONCURRENCY"
run same-closed "http://127.0.0.1:$A_PORT/dev" --concurrency "$CONCURRENCY"
run cross-open "http://127.0.0.1:$B_PORT/dev" --rate "$CROSS_RATE" --concurrency "$CONCURRENCY"
run cross-closed "http://127.0.0.1:$B_PORT/dev" --concurrency "$CONCURRENCY"
echo "== results, JSON and Markdown reports in $OUT"
