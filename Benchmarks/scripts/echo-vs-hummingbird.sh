#!/usr/bin/env bash
# Messages/s through Switchboard's MOCK two-way echo route, as a ratio to a bare Hummingbird WebSocket echo
# server measured in the same run (issue #2: goal >= 1.0).
#
#   Benchmarks/scripts/echo-vs-hummingbird.sh
#   ROUNDS=5 DURATION=20 CONNECTIONS=128 PIPELINE=4 Benchmarks/scripts/echo-vs-hummingbird.sh
#   DEFLATE=1 Benchmarks/scripts/echo-vs-hummingbird.sh      # both servers negotiate permessage-deflate
#
# Builds switchboard, switchboard-bench and hummingbird-echo (release, scratch path .build-bench), starts
# Switchboard on Benchmarks/configs/echo.yaml and hummingbird-echo, then runs the same closed-loop `echo` load
# against each, alternating, ROUNDS times, and prints messages/s, p50 and p99 for both and the ratio
# switchboard/hummingbird of the medians. Each server is pinned to core 0 and the load generator to core 1.
#
# Environment (defaults): ROUNDS (3), DURATION (10 s), WARMUP (2 s), CONNECTIONS (64), PIPELINE (1),
# THREADS (1, load generator event loops), MESSAGE, DEFLATE (0), SB_PORT (18080), HB_PORT (19090),
# OUT (.build-bench/results/echo-DATE: JSON per run and server logs), SKIP_BUILD (0), PIN (1), WAIT_QUIET (60: wait up to
# this many seconds before each run for the machine to be idle; 0 turns it off).
set -euo pipefail
cd "$(dirname "$0")/../.."
source Benchmarks/scripts/common.sh

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CONNECTIONS=${CONNECTIONS:-64}
PIPELINE=${PIPELINE:-1}
THREADS=${THREADS:-1}
MESSAGE=${MESSAGE:-'{"action":"echo","data":"The quick brown fox jumps over the lazy dog; 0123456789 abcdefghij"}'}
DEFLATE=${DEFLATE:-0}
SB_PORT=${SB_PORT:-18080}
HB_PORT=${HB_PORT:-19090}
OUT=${OUT:-$SCRATCH/results/echo-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"

build_products switchboard switchboard-bench hummingbird-echo
describe_machine
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"   # a container may cap the hard limit
trap stop_all EXIT

compression=off
hb_flags=()
bench_flags=()
if [[ "$DEFLATE" == 1 ]]; then
    compression=noContextTakeover
    hb_flags=(--deflate)
    bench_flags=(--deflate)
fi

PORT=$SB_PORT COMPRESSION=$compression start_server "$OUT/switchboard.log" \
    "$BIN/switchboard" serve --config Benchmarks/configs/echo.yaml --log-level warning
SB_PID=$STARTED_PID
start_server "$OUT/hummingbird.log" "$BIN/hummingbird-echo" --port "$HB_PORT" "${hb_flags[@]}"
HB_PID=$STARTED_PID
wait_ready "$SB_PORT" /_switchboard/health "$SB_PID" "$OUT/switchboard.log"
wait_ready "$HB_PORT" /health "$HB_PID" "$OUT/hummingbird.log"
echo "== switchboard pid $SB_PID (compression: $compression), hummingbird-echo pid $HB_PID"
echo "== $ROUNDS rounds × ${DURATION} s (+${WARMUP} s warm-up), $CONNECTIONS connections × $PIPELINE in flight," \
    "$THREADS load thread(s), ${#MESSAGE}-byte message"

run_one() {
    local name=$1 port=$2 pid=$3 round=$4
    wait_quiet
    "${LOAD_CPU[@]}" "$BIN/switchboard-bench" echo --url "ws://127.0.0.1:$port/dev" \
        --connections "$CONNECTIONS" --pipeline "$PIPELINE" --duration "$DURATION" --warmup "$WARMUP" \
        --threads "$THREADS" --message "$MESSAGE" --pid "$pid" --label "$name round $round" \
        --json "$OUT/$name-$round.json" "${bench_flags[@]}"
}

for round in $(seq 1 "$ROUNDS"); do
    # Alternate which server goes first, so neither always runs on a warmer (or hotter) machine.
    if ((round % 2 == 1)); then
        run_one switchboard "$SB_PORT" "$SB_PID" "$round"
        run_one hummingbird "$HB_PORT" "$HB_PID" "$round"
    else
        run_one hummingbird "$HB_PORT" "$HB_PID" "$round"
        run_one switchboard "$SB_PORT" "$SB_PID" "$round"
    fi
done

python3 - "$OUT" "$ROUNDS" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
runs = {name: [json.load(open(f"{out}/{name}-{r}.json")) for r in range(1, rounds + 1)]
        for name in ("switchboard", "hummingbird")}
def med(name, key):
    return statistics.median(key(run) for run in runs[name])
print()
print(f"{'server':<12} {'msgs/s (median)':>16} {'rounds':>28} {'p50 µs':>8} {'p99 µs':>8} {'srv CPU%':>9} {'msgs/CPU-s':>11}")
for name in ("switchboard", "hummingbird"):
    rates = ", ".join(str(int(r["messagesPerSecond"])) for r in runs[name])
    cpu = med(name, lambda r: r.get("serverCPUPercent") or 0)
    per_cpu = med(name, lambda r: r.get("messagesPerServerCPUSecond") or 0)
    print(f"{name:<12} {med(name, lambda r: r['messagesPerSecond']):>16.0f} {rates:>28} "
          f"{med(name, lambda r: r['latencyMicros']['p50']):>8.1f} {med(name, lambda r: r['latencyMicros']['p99']):>8.1f} "
          f"{cpu:>9.1f} {per_cpu:>11.0f}")
ratio = med("switchboard", lambda r: r["messagesPerSecond"]) / med("hummingbird", lambda r: r["messagesPerSecond"])
per_round = [s["messagesPerSecond"] / h["messagesPerSecond"] for s, h in zip(runs["switchboard"], runs["hummingbird"])]
errors = sum(r["errors"] + r["mismatches"] for name in runs for r in runs[name])
print(f"\nratio switchboard/hummingbird (medians): {ratio:.3f}   per round: "
      + ", ".join(f"{x:.3f}" for x in per_round) + f"   (goal >= 1.0; errors+mismatches: {errors})")
# Messages per CPU-second of the server process: less sensitive to other work on the machine than messages/s.
cpu_key = lambda r: r.get("messagesPerServerCPUSecond") or 0
cpu_ratio = med("switchboard", cpu_key) / max(med("hummingbird", cpu_key), 1)
print(f"ratio of messages per server CPU-second (medians): {cpu_ratio:.3f}")
# Rounds where both servers had their core (>= 95% CPU): the others lost time to something else on the machine.
clean = [x for x, s, h in zip(per_round, runs["switchboard"], runs["hummingbird"])
         if min(s.get("serverCPUPercent") or 0, h.get("serverCPUPercent") or 0) >= 95]
if clean:
    print(f"ratio over the {len(clean)} round(s) where both servers had >= 95% of their core: "
          f"median {statistics.median(clean):.3f} (" + ", ".join(f"{x:.3f}" for x in clean) + ")")
else:
    print("no round had both servers at >= 95% CPU: the machine was busy; rerun when it is idle")
json.dump({"ratio": ratio, "perRound": per_round, "cpuRatio": cpu_ratio, "runs": runs},
          open(f"{out}/summary.json", "w"), indent=2)
PY
echo "== results in $OUT"
