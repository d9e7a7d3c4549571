#!/usr/bin/env bash
# Server RSS per idle WebSocket connection, for N (5,000) connections, with and without permessage-deflate
# (issue #2: goal under 10 KB without, near that with the default deflate).
#
#   Benchmarks/scripts/idle-rss.sh
#   CONNECTIONS=10000 SOURCES=4 Benchmarks/scripts/idle-rss.sh
#   HUMMINGBIRD=0 Benchmarks/scripts/idle-rss.sh        # Switchboard only
#
# For each mode it starts a fresh Switchboard (release) on Benchmarks/configs/echo.yaml, compression `off`, then
# the default `noContextTakeover`, opens CONNECTIONS idle connections with `switchboard-bench connect --pid`
# (offering permessage-deflate in the second mode), waits SETTLE seconds and prints
# (VmRSS after - VmRSS before) / connections. With HUMMINGBIRD=1 (the default) the bare hummingbird-echo
# server is measured the same way, without and with its default deflate, for comparison.
#
# Environment (defaults): CONNECTIONS (5000), SOURCES (2 loopback source addresses), CONCURRENCY (64),
# SETTLE (2 s), HUMMINGBIRD (1), SB_PORT (18081), HB_PORT (19091), OUT (.build-bench/results/idle-DATE), SKIP_BUILD, PIN.
set -euo pipefail
cd "$(dirname "$0")/../.."
source Benchmarks/scripts/common.sh

CONNECTIONS=${CONNECTIONS:-5000}
SOURCES=${SOURCES:-2}
CONCURRENCY=${CONCURRENCY:-64}
SETTLE=${SETTLE:-2}
HUMMINGBIRD=${HUMMINGBIRD:-1}
SB_PORT=${SB_PORT:-18081}
HB_PORT=${HB_PORT:-19091}
OUT=${OUT:-$SCRATCH/results/idle-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"

products=(switchboard switchboard-bench)
[[ "$HUMMINGBIRD" == 1 ]] && products+=(hummingbird-echo)
build_products "${products[@]}"
describe_machine
# 65536 open files, or the hard limit where that is lower (a container may cap it; 5,000 connections need
# about 5,100 in each process).
if ! ulimit -n 65536 2>/dev/null; then
    ulimit -n "$(ulimit -Hn)"
    echo "== ulimit -n 65536 refused; using the hard limit $(ulimit -n)"
fi
trap stop_all EXIT

# measure NAME PORT HEALTH_PATH DEFLATE(0|1) -- server command...
measure() {
    local name=$1 port=$2 health=$3 deflate=$4
    shift 5
    start_server "$OUT/$name.log" "$@"
    local pid=$STARTED_PID
    wait_ready "$port" "$health" "$pid" "$OUT/$name.log"
    sleep 1
    local flags=()
    [[ "$deflate" == 1 ]] && flags=(--deflate)
    "${LOAD_CPU[@]}" "$BIN/switchboard-bench" connect --url "ws://127.0.0.1:$port/dev" \
        --connections "$CONNECTIONS" --sources "$SOURCES" --concurrency "$CONCURRENCY" --settle "$SETTLE" \
        --pid "$pid" --label "$name" --json "$OUT/$name.json" "${flags[@]}"
    stop_server "$pid"
}

PORT=$SB_PORT COMPRESSION=off measure switchboard-off "$SB_PORT" /_switchboard/health 0 -- \
    "$BIN/switchboard" serve --config Benchmarks/configs/echo.yaml --log-level warning
PORT=$SB_PORT COMPRESSION=noContextTakeover measure switchboard-deflate "$SB_PORT" /_switchboard/health 1 -- \
    "$BIN/switchboard" serve --config Benchmarks/configs/echo.yaml --log-level warning
names=(switchboard-off switchboard-deflate)
if [[ "$HUMMINGBIRD" == 1 ]]; then
    measure hummingbird-off "$HB_PORT" /health 0 -- "$BIN/hummingbird-echo" --port "$HB_PORT"
    measure hummingbird-deflate "$HB_PORT" /health 1 -- "$BIN/hummingbird-echo" --port "$HB_PORT" --deflate
    names+=(hummingbird-off hummingbird-deflate)
fi

python3 - "$OUT" "${names[@]}" <<'PY'
import json, sys
out, names = sys.argv[1], sys.argv[2:]
print()
print(f"{'server / mode':<22} {'opened':>7} {'failed':>7} {'deflate':>8} {'RSS before':>11} {'RSS after':>10} "
      f"{'KB/conn':>8} {'anon KB/conn':>13} {'handshakes/s':>13} {'p99 µs':>8}")
for name in names:
    r = json.load(open(f"{out}/{name}.json"))
    print(f"{name:<22} {r['opened']:>7} {r['failures']:>7} {r['deflateAccepted']:>8} {r['rssBeforeKB']:>11} "
          f"{r['rssAfterKB']:>10} {r['rssPerConnectionKB']:>8.2f} {r['rssAnonPerConnectionKB']:>13.2f} "
          f"{r['handshakesPerSecond']:>13.0f} {r['handshakeLatencyMicros']['p99']:>8.0f}")
PY
echo "== results in $OUT"
