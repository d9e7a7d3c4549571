#!/usr/bin/env bash
# Where a server's CPU goes under the closed-loop echo load: `perf record -g` on the server process, then the
# top frames by self time and by inclusive time, and what the frames named in FOCUS call.
#
#   Benchmarks/scripts/profile-echo.sh                      # Switchboard's MOCK echo route
#   SERVER=hummingbird Benchmarks/scripts/profile-echo.sh   # the bare Hummingbird echo server
#
# Needs perf (Debian: `apt-get install -y linux-perf`); hardware counters are not needed (it samples
# cpu-clock). valgrind 3.19's callgrind crashes on these Swift 6.3 release binaries, so perf is the tool.
#
# Environment (defaults): SERVER (switchboard), SECONDS_TO_RECORD (8), CONNECTIONS (64), PIPELINE (1), DEFLATE (0),
# MESSAGE (the 93-byte message of echo-vs-hummingbird.sh),
# FOCUS (Gateway.handleMessage|WebSocketSessionHandler.append|selectRoute), APP (frames listed by inclusive
# time), TOP (30), PORT (18083),
# OUT (.build-bench/results/profile-SERVER-DATE), SKIP_BUILD, PIN.
set -euo pipefail
cd "$(dirname "$0")/../.."
source Benchmarks/scripts/common.sh

SERVER=${SERVER:-switchboard}
SECONDS_TO_RECORD=${SECONDS_TO_RECORD:-8}
CONNECTIONS=${CONNECTIONS:-64}
PIPELINE=${PIPELINE:-1}
DEFLATE=${DEFLATE:-0}
MESSAGE=${MESSAGE:-'{"action":"echo","data":"The quick brown fox jumps over the lazy dog; 0123456789 abcdefghij"}'}
FOCUS=${FOCUS:-Gateway.handleMessage|WebSocketSessionHandler.append|selectRoute}
TOP=${TOP:-30}
APP=${APP:-Gateway|WebSocketSession|WebSocketConnection|UTF8Validator|JSON|Selection|Compiled|Mock|Template|IdentifierGenerator|ChaCha|Deflate|WebSocketFrame|WebSocketInbound|WebSocketOutbound|WSParser|WebSocketHandler|Continuation|swift_task|AsyncStream|HTTPServerHandler}
PORT=${PORT:-18083}
OUT=${OUT:-$SCRATCH/results/profile-$SERVER-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
command -v perf >/dev/null || { echo "perf not found: apt-get install -y linux-perf" >&2; exit 1; }

build_products switchboard switchboard-bench hummingbird-echo
describe_machine
trap stop_all EXIT

bench_flags=()
[[ "$DEFLATE" == 1 ]] && bench_flags=(--deflate)
if [[ "$SERVER" == switchboard ]]; then
    compression=off
    [[ "$DEFLATE" == 1 ]] && compression=noContextTakeover
    PORT=$PORT COMPRESSION=$compression start_server "$OUT/server.log" \
        "$BIN/switchboard" serve --config Benchmarks/configs/echo.yaml --log-level warning
    health=/_switchboard/health
else
    hb_flags=()
    [[ "$DEFLATE" == 1 ]] && hb_flags=(--deflate)
    start_server "$OUT/server.log" "$BIN/hummingbird-echo" --port "$PORT" "${hb_flags[@]}"
    health=/health
fi
pid=$STARTED_PID
wait_ready "$PORT" "$health" "$pid" "$OUT/server.log"

"${LOAD_CPU[@]}" "$BIN/switchboard-bench" echo --url "ws://127.0.0.1:$PORT/dev" --connections "$CONNECTIONS" \
    --pipeline "$PIPELINE" --message "$MESSAGE" --warmup 2 --duration "$((SECONDS_TO_RECORD + 2))" --pid "$pid" --label "$SERVER" \
    "${bench_flags[@]}" >"$OUT/bench.txt" &
bench=$!
sleep 2
perf record -F 1999 -g -p "$pid" -o "$OUT/perf.data" -- sleep "$SECONDS_TO_RECORD" 2>"$OUT/perf-record.log" >/dev/null
wait "$bench"
cat "$OUT/bench.txt"
perf script -i "$OUT/perf.data" 2>/dev/null | swift demangle --simplified >"$OUT/perf.txt"

python3 - "$OUT/perf.txt" "$TOP" "$FOCUS" "$APP" <<'PY'
import collections, re, sys
path, top, focus, app = sys.argv[1], int(sys.argv[2]), sys.argv[3].split("|"), re.compile(sys.argv[4])
stacks, current = [], []   # each stack: [(symbol, dso)], root first
for line in open(path, errors="replace"):
    if not line.strip():
        if current: stacks.append(current[::-1]); current = []
        continue
    if line[0] in " \t":
        match = re.match(r"\s*[0-9a-f]+ (.*) \(([^()]*)\)$", line.rstrip())
        if match:
            symbol = re.sub(r"\+0x[0-9a-f]+$", "", match.group(1))[:140]
            current.append((symbol, match.group(2).rsplit("/", 1)[-1]))
if current: stacks.append(current[::-1])
total = len(stacks) or 1
pct = lambda count: f"{count / total * 100:5.1f}%"
print(f"\n{total} samples of the server process")
print("\nSelf time by binary:")
for dso, count in collections.Counter(s[-1][1] for s in stacks if s).most_common(8): print(f"  {pct(count)}  {dso}")
print(f"\nTop {top} frames by self time:")
for (symbol, dso), count in collections.Counter(s[-1] for s in stacks if s).most_common(top):
    print(f"  {pct(count)}  {symbol}  [{dso}]")
inclusive = collections.Counter()
for s in stacks:
    for symbol in {symbol for symbol, _ in s if app.search(symbol)}: inclusive[symbol] += 1
print(f"\nTop {top} application frames by inclusive time (APP='{app.pattern}'):")
for symbol, count in inclusive.most_common(top): print(f"  {pct(count)}  {symbol}")
for name in focus:
    callees, hits = collections.Counter(), 0
    for s in stacks:
        positions = [i for i, (symbol, _) in enumerate(s) if name in symbol]
        if not positions: continue
        hits += 1
        callees[s[positions[0] + 1][0] if positions[0] + 1 < len(s) else "<self>"] += 1
    if not hits: continue
    print(f"\n{name}: {pct(hits).strip()} inclusive; what it calls:")
    for symbol, count in callees.most_common(10): print(f"  {pct(count)}  {symbol}")
PY
echo "== perf data and the demangled samples in $OUT (perf report -i $OUT/perf.data)"
