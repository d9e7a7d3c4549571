#!/usr/bin/env bash
# Soak (issue 7): DURATION (15 minutes) of steady connection churn plus echo messages at a fixed rate, half the
# measured maximum, through Switchboard's MOCK echo route; RSS and p99 latency must stay flat (within 10 %).
#
#   Benchmarks/scripts/soak.sh                              # 900 s; measures the maximum for 10 s, then half of it
#   RATE=20000 Benchmarks/scripts/soak.sh                   # a fixed rate instead of half the measured maximum
#   SKIP_BUILD=1 DURATION=120 Benchmarks/scripts/soak.sh    # a short check (20 s windows)
#
# Builds switchboard and switchboard-bench (release, scratch path .build-bench), starts Switchboard on
# Benchmarks/configs/echo.yaml, and unless RATE is given measures the maximum with a closed-loop `echo` (MAX_DURATION
# s, CONNECTIONS × MAX_PIPELINE in flight). Then, for DURATION seconds at once:
#   - messages: `switchboard-bench echo --rate RATE --interval WINDOW`, open loop over CONNECTIONS connections, which
#     prints messages/s and latency percentiles per WINDOW;
#   - churn: back-to-back `switchboard-bench connect` batches of CHURN_CONNECTIONS connections (opened at CHURN_RATE
#     per second, held CHURN_HOLD seconds, then dropped);
#   - the server's VmRSS, read from /proc every SAMPLE seconds.
# At the end it prints per window the rate, p50/p99/p99.9 and RSS (mean and max of the samples in the window), and
# the drift of RSS and of p99: the median of the last third of the windows against the median of the first third,
# ignoring windows that end within WARMUP seconds of the start, with PASS when both are within THRESHOLD % (exit
# status 1 on FAIL). Medians of several windows, because a single window's p99 on a shared 2-core machine moves by
# 20 % with no trend at all.
#
# Environment (defaults): DURATION (900 s), RATE (half the measured maximum), MAX_DURATION (10 s), MAX_PIPELINE (4),
# CONNECTIONS (64), THREADS (1), MESSAGE (the 93-byte echo message), WINDOW (60 s; DURATION/6 below 600 s),
# WARMUP (one window, i.e. 60 s), SAMPLE (10 s), CHURN_CONNECTIONS (200; 0 turns churn off, for comparison),
# CHURN_RATE (100/s), CHURN_HOLD (5 s), THRESHOLD (10 %), SB_PORT (18082), OUT (.build-bench/results/soak-DATE),
# SKIP_BUILD (0), PIN (1), WAIT_QUIET (60).
set -euo pipefail
cd "$(dirname "$0")/../.."
source Benchmarks/scripts/common.sh

DURATION=${DURATION:-900}
RATE=${RATE:-}
MAX_DURATION=${MAX_DURATION:-10}
MAX_PIPELINE=${MAX_PIPELINE:-4}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-1}
MESSAGE=${MESSAGE:-'{"action":"echo","data":"The quick brown fox jumps over the lazy dog; 0123456789 abcdefghij"}'}
WINDOW=${WINDOW:-$((DURATION >= 600 ? 60 : DURATION / 6))}
((WINDOW > 0)) || WINDOW=1
WARMUP=${WARMUP:-$WINDOW}
SAMPLE=${SAMPLE:-10}
CHURN_CONNECTIONS=${CHURN_CONNECTIONS:-200}
CHURN_RATE=${CHURN_RATE:-100}
CHURN_HOLD=${CHURN_HOLD:-5}
THRESHOLD=${THRESHOLD:-10}
SB_PORT=${SB_PORT:-18082}
OUT=${OUT:-$SCRATCH/results/soak-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT/churn"

build_products switchboard switchboard-bench
describe_machine
if ! ulimit -n 65536 2>/dev/null; then ulimit -n "$(ulimit -Hn)"; fi   # a container may cap the hard limit

BACKGROUND=()
cleanup() {
    for pid in "${BACKGROUND[@]}"; do
        pkill -P "$pid" 2>/dev/null || true   # a churn batch or a sleep still running in the loop
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${BACKGROUND[@]}"; do wait "$pid" 2>/dev/null || true; done
    stop_all
}
trap cleanup EXIT

PORT=$SB_PORT COMPRESSION=off start_server "$OUT/switchboard.log" \
    "$BIN/switchboard" serve --config Benchmarks/configs/echo.yaml --log-level warning
SB_PID=$STARTED_PID
wait_ready "$SB_PORT" /_switchboard/health "$SB_PID" "$OUT/switchboard.log"
# Where the shell kept a wrapper process, the server is its child: read /proc of the server itself.
if [[ "$(cat "/proc/$SB_PID/comm" 2>/dev/null)" != switchboard ]]; then
    SB_PID=$(pgrep -P "$SB_PID" -x switchboard | head -1)
fi
URL="ws://127.0.0.1:$SB_PORT/dev"
echo "== switchboard pid $SB_PID, VmRSS $(awk '/^VmRSS/ {print $2}' "/proc/$SB_PID/status") KB at start"

if [[ -z "$RATE" ]]; then
    wait_quiet
    echo "== measuring the maximum: closed loop, $CONNECTIONS connections × $MAX_PIPELINE in flight, $MAX_DURATION s"
    "${LOAD_CPU[@]}" "$BIN/switchboard-bench" echo --url "$URL" --connections "$CONNECTIONS" \
        --pipeline "$MAX_PIPELINE" --duration "$MAX_DURATION" --warmup 2 --threads "$THREADS" --message "$MESSAGE" \
        --pid "$SB_PID" --label maximum --json "$OUT/maximum.json"
    RATE=$(python3 -c 'import json, sys; print(int(json.load(open(sys.argv[1]))["messagesPerSecond"] // 2))' \
        "$OUT/maximum.json")
    echo "== rate: $RATE messages/s (half the measured maximum)"
fi
echo "== soak: $DURATION s at $RATE messages/s over $CONNECTIONS connections, churn of $CHURN_CONNECTIONS connections" \
    "per batch (${CHURN_RATE}/s, held ${CHURN_HOLD} s), VmRSS every $SAMPLE s, windows of $WINDOW s," \
    "warm-up $WARMUP s"

# VmRSS every SAMPLE seconds, with the wall-clock time, until the server exits or the soak is over.
(
    while [[ -r "/proc/$SB_PID/status" ]]; do
        echo "$(date +%s.%N) $(awk '/^VmRSS/ {print $2}' "/proc/$SB_PID/status")"
        sleep "$SAMPLE"
    done
) >"$OUT/rss.tsv" 2>/dev/null &
BACKGROUND+=($!)

# Connection churn: batches back to back until the soak ends.
end=$((SECONDS + DURATION + 5))
(
    batch=0
    while ((CHURN_CONNECTIONS > 0 && SECONDS < end)); do
        batch=$((batch + 1))
        "${LOAD_CPU[@]}" "$BIN/switchboard-bench" connect --url "$URL" --connections "$CHURN_CONNECTIONS" \
            --rate "$CHURN_RATE" --concurrency 16 --hold "$CHURN_HOLD" --label "churn $batch" \
            --json "$OUT/churn/batch-$batch.json" >>"$OUT/churn.log" 2>&1 || echo "batch $batch failed" >>"$OUT/churn.log"
    done
) &
BACKGROUND+=($!)

"${LOAD_CPU[@]}" "$BIN/switchboard-bench" echo --url "$URL" --connections "$CONNECTIONS" --rate "$RATE" \
    --duration "$DURATION" --warmup 5 --interval "$WINDOW" --threads "$THREADS" --message "$MESSAGE" \
    --pid "$SB_PID" --label soak --json "$OUT/soak.json" | tee "$OUT/soak.log"

echo "== waiting for the last churn batch"
wait "${BACKGROUND[1]}" || true
echo "== load average after the run: $(cut -d" " -f1-3 /proc/loadavg)"
echo "$(date +%s.%N) $(awk '/^VmRSS/ {print $2}' "/proc/$SB_PID/status")" >>"$OUT/rss.tsv"

status=0
python3 - "$OUT" "$WARMUP" "$THRESHOLD" <<'PY' || status=$?
import glob, json, statistics, sys
out, warmup, threshold = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
soak = json.load(open(f"{out}/soak.json"))
samples = []
for line in open(f"{out}/rss.tsv"):
    parts = line.split()
    if len(parts) == 2 and parts[1].isdigit():
        samples.append((float(parts[0]), int(parts[1])))
windows = []
for interval in soak["intervals"]:
    start, end = interval["endedAt"] - interval["seconds"], interval["endedAt"]
    inside = [kb for t, kb in samples if start < t <= end]
    if not inside:  # a window shorter than the sampling period: the nearest sample
        inside = [min(samples, key=lambda s: abs(s[0] - end))[1]] if samples else [0]
    lat = interval["latencyMicros"]
    windows.append({"elapsed": interval["elapsed"], "rate": interval["messagesPerSecond"], "p50": lat["p50"],
                    "p99": lat["p99"], "p999": lat["p999"], "max": lat["max"],
                    "rssMean": statistics.mean(inside), "rssMax": max(inside), "samples": len(inside)})
print()
print(f"{'window end':>10} {'msgs/s':>8} {'p50 µs':>8} {'p99 µs':>8} {'p99.9 µs':>9} {'max µs':>9} "
      f"{'RSS KB (mean)':>14} {'RSS KB (max)':>13}")
for w in windows:
    mark = "  (warm-up)" if w["elapsed"] <= warmup + 0.5 else ""
    print(f"{w['elapsed']:>9.0f}s {w['rate']:>8.0f} {w['p50']:>8.1f} {w['p99']:>8.1f} {w['p999']:>9.1f} "
          f"{w['max']:>9.1f} {w['rssMean']:>14.0f} {w['rssMax']:>13.0f}{mark}")
measured = [w for w in windows if w["elapsed"] > warmup + 0.5]
churn = [json.load(open(path)) for path in glob.glob(f"{out}/churn/*.json")]
opened = sum(b["opened"] for b in churn)
failed = sum(b["failures"] for b in churn)
dropped = sum(b["droppedWhileIdle"] for b in churn)
print(f"\nmessages: target {soak['targetRate']:.0f}/s, achieved {soak['messagesPerSecond']:.0f}/s over "
      f"{soak['seconds']:.0f} s; errors {soak['errors']}, mismatches {soak['mismatches']}, "
      f"sends skipped {soak['pacedSkipped']}; server CPU {soak.get('serverCPUPercent')} % of a core")
print(f"churn: {len(churn)} batches, {opened} connections opened and dropped, {failed} failed handshakes, "
      f"{dropped} dropped by the server while held")
if len(measured) < 2:
    print(f"fewer than 2 windows after the {warmup:.0f} s warm-up: no drift to compute (lengthen DURATION)")
    sys.exit(1)
# Drift compares the median of the first third of the measured windows with the median of the last third: one
# noisy window (another process on a 2-core machine) moves a single-window p99 by 20 % either way, while a real
# trend (a leak, a growing queue) moves the medians. The single first-vs-last window figure is printed as well.
k = max(1, len(measured) // 3)
head, tail = measured[:k], measured[-k:]
ok = True
drifts = {}
for name, key in (("RSS", "rssMean"), ("p99", "p99")):
    first = statistics.median(w[key] for w in head)
    last = statistics.median(w[key] for w in tail)
    drift = (last - first) / first * 100 if first else float("inf")
    single = (tail[-1][key] - head[0][key]) / head[0][key] * 100 if head[0][key] else float("inf")
    verdict = "PASS" if abs(drift) <= threshold else "FAIL"
    ok = ok and verdict == "PASS"
    drifts[name] = {"first": first, "last": last, "drift": drift, "singleWindowDrift": single}
    print(f"{name} drift (median of the last {k} windows vs the first {k}): {first:.1f} -> {last:.1f} = "
          f"{drift:+.1f} %  {verdict} (|drift| <= {threshold:.0f} %); last window vs first alone: {single:+.1f} %")
summary = {"windows": windows, "warmup": warmup, "threshold": threshold, "churnBatches": len(churn),
           "churnOpened": opened, "churnFailed": failed, "drift": drifts, "windowsPerSide": k, "pass": ok}
json.dump(summary, open(f"{out}/summary.json", "w"), indent=2)
sys.exit(0 if ok else 1)
PY
echo "== results in $OUT"
exit $status
