#!/usr/bin/env bash
# Plain HTTP proxying through Switchboard compared with nginx `proxy_pass`, measured in one run on one machine:
# (a) the upstream called directly, (b) nginx in front of it (keepalive upstream pool), (c) Switchboard in front
# of it (HTTP API, `$default` route, HTTP_PROXY integration). The upstream is a second nginx answering every
# request with `return 200` and a fixed BODY_BYTES (1 KB) body.
#
#   Benchmarks/scripts/proxy-vs-nginx.sh
#   ROUNDS=5 DURATION=20 CONNECTIONS=64 Benchmarks/scripts/proxy-vs-nginx.sh
#   SKIP_SWITCHBOARD=1 Benchmarks/scripts/proxy-vs-nginx.sh                # direct and nginx only
#   SWITCHBOARD_BIN=.build/release/switchboard Benchmarks/scripts/proxy-vs-nginx.sh
#
# Load: wrk, keep-alive, closed loop (`-t THREADS -c CONNECTIONS -d DURATION --latency`), after a WARMUP-second
# wrk run against the same target. The three targets are measured in turn, ROUNDS times, the order rotating every
# round; the table gives the median of the rounds: requests/s, p50 and p99, the added latency (median over the
# rounds of target minus direct in the same round) and the ratios switchboard/nginx (requests/s, added p50, added
# p99), switchboard/direct (requests/s) and switchboard/nginx in requests per proxy CPU-second (the steadier one
# when other work shares the machine). With a closed loop at a fixed number of connections, latency is roughly
# CONNECTIONS / throughput, so the latency ratios follow the throughput ones; p99 shows the tail beyond that.
#
# Pinning (2 cores, `taskset`, PIN=0 turns it off): the proxy under test (nginx or Switchboard) and the upstream
# share core 0 (UPSTREAM_CORE), wrk runs alone on core 1. "Direct" is then the upstream alone on core 0 and each
# proxy row pays the proxy's CPU on that same core, which is what is compared; wrk never competes with the
# servers. UPSTREAM_CORE=1 puts the upstream beside wrk instead (the proxy then has core 0 to itself, but wrk and
# the upstream take turns on core 1). Watch the load CPU column: near 100 % means wrk is what is measured.
#
# Both nginx masters run as the current user with `daemon off` (the script keeps their pid), worker_processes 1,
# prefix, pid, logs and temp paths in OUT; access logs off, keepalive_requests raised so no connection is closed
# during a run. nginx and wrk are installed with apt-get when missing (sudo when not root). Switchboard is built
# like the other scripts do (SWITCHBOARD_BENCHMARKS=1 swift build -c release --scratch-path .build-bench
# --product switchboard; SKIP_BUILD=1 reuses the binary), or taken from SWITCHBOARD_BIN. Its config is the
# heredoc below (the same as Benchmarks/configs/http-proxy.yaml), written to OUT with the ports filled in.
#
# Environment (defaults): ROUNDS (3), DURATION (10 s), WARMUP (2 s, 0: none), CONNECTIONS (32), THREADS (1, wrk
# threads), BODY_BYTES (1024), REQUEST_PATH (/bench/item), UPSTREAM_PORT (18084), NGINX_PORT (18085), SB_PORT
# (18086), UPSTREAM_CORE (0), SKIP_SWITCHBOARD (0), SWITCHBOARD_BIN, NGINX (nginx on PATH or /usr/sbin/nginx),
# OUT (.build-bench/results/proxy-DATE: wrk output per run, configs, logs, summary.json), SKIP_BUILD (0), PIN (1),
# WAIT_QUIET (60: wait up to this many seconds before each run for the machine to be idle; 0 turns it off).
set -euo pipefail
cd "$(dirname "$0")/../.."
source Benchmarks/scripts/common.sh

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
BODY_BYTES=${BODY_BYTES:-1024}
REQUEST_PATH=${REQUEST_PATH:-/bench/item}
UPSTREAM_PORT=${UPSTREAM_PORT:-18084}
NGINX_PORT=${NGINX_PORT:-18085}
SB_PORT=${SB_PORT:-18086}
UPSTREAM_CORE=${UPSTREAM_CORE:-0}
SKIP_SWITCHBOARD=${SKIP_SWITCHBOARD:-0}
OUT=${OUT:-$SCRATCH/results/proxy-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)   # nginx wants absolute paths

# nginx and wrk, from apt when missing (common.sh's install_packages).
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
missing=()
[[ -x "$NGINX" ]] || missing+=(nginx)
command -v wrk >/dev/null || missing+=(wrk)
if ((${#missing[@]} > 0)); then
    install_packages "${missing[@]}"
    NGINX=$(command -v nginx || echo /usr/sbin/nginx)
fi

targets=(direct nginx)
if [[ "$SKIP_SWITCHBOARD" != 1 ]]; then
    if [[ -n "${SWITCHBOARD_BIN:-}" ]]; then
        echo "== SWITCHBOARD_BIN: using $SWITCHBOARD_BIN"
    else
        build_products switchboard
        SWITCHBOARD_BIN=$BIN/switchboard
    fi
    [[ -x "$SWITCHBOARD_BIN" ]] || { echo "no Switchboard binary at $SWITCHBOARD_BIN" >&2; exit 1; }
    targets+=(switchboard)
fi

describe_machine
UPSTREAM_CPU=()
if [[ ${#SERVER_CPU[@]} -gt 0 ]]; then
    UPSTREAM_CPU=(taskset -c "$UPSTREAM_CORE")
    echo "== pinned: proxy under test on core 0, upstream nginx on core $UPSTREAM_CORE, wrk on core 1"
fi
echo "== $($NGINX -v 2>&1), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
trap stop_all EXIT

# --- the upstream: nginx answering `return 200` with a fixed body --------------------------------------------------
body=$(upstream_body "$BODY_BYTES")

nginx_upstream_conf upstream "$UPSTREAM_PORT" "$body"

nginx_proxy_conf nginx "$NGINX_PORT" "$UPSTREAM_PORT"

start_nginx upstream "${UPSTREAM_CPU[@]}"
UPSTREAM_PID=$STARTED_PID
wait_ready "$UPSTREAM_PORT" / "$UPSTREAM_PID" "$OUT/upstream/error.log"
start_nginx nginx "${SERVER_CPU[@]}"
NGINX_PID=$STARTED_PID
wait_ready "$NGINX_PORT" / "$NGINX_PID" "$OUT/nginx/error.log"

# --- Switchboard: an HTTP API whose $default route proxies everything to the upstream -----------------------------
# Edit here when the config format changes (and Benchmarks/configs/http-proxy.yaml with it). __PORT__ and
# __UPSTREAM_PORT__ are filled in below.
SB_PID=""
if [[ "$SKIP_SWITCHBOARD" != 1 ]]; then
    cat >"$OUT/switchboard.template.yaml" <<'YAML'
server: { listen: 127.0.0.1:__PORT__, eventLoopThreads: 1 }
throttle: { rateLimit: 1000000000, burstLimit: 1000000000 }
registry: memory
apis:
  - id: proxy
    protocolType: HTTP
    stages: [ { name: $default } ]
    routes:
      $default: { integration: { type: HTTP_PROXY, uri: "http://127.0.0.1:__UPSTREAM_PORT__" } }
YAML
    sed -e "s/__PORT__/$SB_PORT/g" -e "s/__UPSTREAM_PORT__/$UPSTREAM_PORT/g" \
        "$OUT/switchboard.template.yaml" >"$OUT/switchboard.yaml"
    start_server "$OUT/switchboard.log" "$SWITCHBOARD_BIN" serve --config "$OUT/switchboard.yaml" --log-level warning
    SB_PID=$STARTED_PID
    wait_ready "$SB_PORT" /_switchboard/health "$SB_PID" "$OUT/switchboard.log"
fi

port_of() {
    case $1 in direct) echo "$UPSTREAM_PORT" ;; nginx) echo "$NGINX_PORT" ;; switchboard) echo "$SB_PORT" ;; esac
}
pid_of() { case $1 in direct) echo "" ;; nginx) echo "$NGINX_PID" ;; switchboard) echo "$SB_PID" ;; esac; }

# Every target must answer the request with 200 and the upstream's body before anything is measured.
for target in "${targets[@]}"; do
    url="http://127.0.0.1:$(port_of "$target")$REQUEST_PATH"
    status=$(curl -s -o "$OUT/check-$target.body" -w '%{http_code}' "$url" || true)
    if [[ "$status" != 200 ]] || ! cmp -s "$OUT/check-$target.body" <(printf '%s' "$body"); then
        echo "$target: GET $url answered $status with $(wc -c <"$OUT/check-$target.body") bytes, not 200 with the" \
            "upstream's $BODY_BYTES-byte body" >&2
        [[ "$target" == switchboard ]] && cat "$OUT/switchboard.log" >&2
        exit 1
    fi
done
echo "== upstream pid $UPSTREAM_PID, nginx pid $NGINX_PID${SB_PID:+, switchboard pid $SB_PID}; every target answers" \
    "GET $REQUEST_PATH with 200 and the $BODY_BYTES-byte body"
echo "== $ROUNDS rounds × ${DURATION} s (+${WARMUP} s warm-up), wrk -t$THREADS -c$CONNECTIONS, keep-alive"

run_one() {
    local name=$1 round=$2 port pid url
    port=$(port_of "$name")
    pid=$(pid_of "$name")
    url="http://127.0.0.1:$port$REQUEST_PATH"
    wait_quiet
    if ((WARMUP > 0)); then
        "${LOAD_CPU[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$url" >/dev/null 2>&1
    fi
    local up0 px0 up1 px1 t0 t1 times
    up0=$(cpu_ticks "$UPSTREAM_PID")
    px0=$([[ -n "$pid" ]] && cpu_ticks "$pid" || echo 0)
    t0=$(date +%s%N)
    times=$( { TIMEFORMAT='%U %S'; time "${LOAD_CPU[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency \
        "$url" >"$OUT/$name-$round.wrk" 2>&1; } 2>&1 )
    t1=$(date +%s%N)
    up1=$(cpu_ticks "$UPSTREAM_PID")
    px1=$([[ -n "$pid" ]] && cpu_ticks "$pid" || echo 0)
    python3 - "$OUT/$name-$round" "$name" "$round" "$((up1 - up0))" "$((px1 - px0))" "$(((t1 - t0) / 1000))" \
        "$(getconf CLK_TCK)" $times <<'PY'
import json, re, sys
base, name, rnd, up, px, micros, hz, user, system = sys.argv[1:]
text = open(base + ".wrk").read()
units = {"us": 1, "ms": 1e3, "s": 1e6, "m": 60e6, "h": 3600e6}
def latency(p):
    m = re.search(rf"^\s*{p}%\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.M)
    return float(m.group(1)) * units[m.group(2)] if m else None
rps = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
requests = re.search(r"^\s*(\d+) requests in", text, re.M)
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
wall = int(micros) / 1e6
cpu = lambda ticks: int(ticks) / int(hz) / wall * 100
run = {"target": name, "round": int(rnd), "requestsPerSecond": float(rps.group(1)) if rps else 0.0,
       "requests": int(requests.group(1)) if requests else 0,
       "latencyMicros": {p: latency(p) for p in ("50", "75", "90", "99")},
       "non2xx": int(non2xx.group(1)) if non2xx else 0,
       "socketErrors": sum(int(x) for x in sock.groups()) if sock else 0,
       "upstreamCPUPercent": cpu(up), "proxyCPUPercent": cpu(px) if name != "direct" else None,
       "loadCPUPercent": (float(user) + float(system)) / wall * 100}
json.dump(run, open(base + ".json", "w"), indent=2)
l = run["latencyMicros"]
proxy = f"{run['proxyCPUPercent']:5.1f}%" if run["proxyCPUPercent"] is not None else "    - "
print(f"{name + ' round ' + rnd:<22} {run['requestsPerSecond']:>10.0f} req/s   p50 {l['50'] or 0:>8.1f} µs   "
      f"p99 {l['99'] or 0:>8.1f} µs   CPU upstream {run['upstreamCPUPercent']:5.1f}%  proxy {proxy}  "
      f"wrk {run['loadCPUPercent']:5.1f}%   errors {run['non2xx'] + run['socketErrors']}")
PY
}

for round in $(seq 1 "$ROUNDS"); do
    # Rotate the order every round, so no target always runs first (or on a warmer machine).
    n=${#targets[@]}
    for i in $(seq 0 $((n - 1))); do
        run_one "${targets[$(((i + round - 1) % n))]}" "$round"
    done
done

python3 - "$OUT" "$ROUNDS" "${targets[@]}" <<'PY'
import json, statistics, sys
out, rounds, targets = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
runs = {t: [json.load(open(f"{out}/{t}-{r}.json")) for r in range(1, rounds + 1)] for t in targets}
med = lambda values: statistics.median(values)
rps = {t: med(r["requestsPerSecond"] for r in runs[t]) for t in targets}
lat = {t: {p: med(r["latencyMicros"][p] for r in runs[t]) for p in ("50", "99")} for t in targets}
# Added latency: per round, target minus direct measured in the same round; then the median over the rounds.
added = {t: {p: med(r["latencyMicros"][p] - d["latencyMicros"][p] for r, d in zip(runs[t], runs["direct"]))
             for p in ("50", "99")} for t in targets}
# Requests per proxy CPU-second (per upstream CPU-second for direct).
def per_cpu(r):
    cpu = r["proxyCPUPercent"] if r["proxyCPUPercent"] is not None else r["upstreamCPUPercent"]
    return r["requestsPerSecond"] / (cpu / 100) if cpu else 0.0
print()
print(f"{'target':<12} {'req/s (median)':>14} {'rounds':>26} {'p50 µs':>8} {'p99 µs':>8} {'+p50 µs':>8} "
      f"{'+p99 µs':>8} {'upstr CPU%':>10} {'proxy CPU%':>10} {'req/proxy CPU-s':>15} {'wrk CPU%':>8} {'errors':>7}")
for t in targets:
    rounds_text = ", ".join(str(int(r["requestsPerSecond"])) for r in runs[t])
    proxy_cpu = med(r["proxyCPUPercent"] or 0 for r in runs[t])
    print(f"{t:<12} {rps[t]:>14.0f} {rounds_text:>26} {lat[t]['50']:>8.1f} {lat[t]['99']:>8.1f} "
          f"{added[t]['50']:>8.1f} {added[t]['99']:>8.1f} {med(r['upstreamCPUPercent'] for r in runs[t]):>10.1f} "
          f"{(f'{proxy_cpu:.1f}' if t != 'direct' else '-'):>10} {med(per_cpu(r) for r in runs[t]):>15.0f} "
          f"{med(r['loadCPUPercent'] for r in runs[t]):>8.1f} "
          f"{sum(r['non2xx'] + r['socketErrors'] for r in runs[t]):>7}")
ratio = lambda a, b: a / b if b > 0 else None
fmt = lambda x: f"{x:.3f}" if x is not None else "n/a"
summary = {"medians": {t: {"requestsPerSecond": rps[t], "p50": lat[t]["50"], "p99": lat[t]["99"],
                           "addedP50": added[t]["50"], "addedP99": added[t]["99"]} for t in targets}}
print(f"\nnginx/direct req/s: {fmt(ratio(rps['nginx'], rps['direct']))}")
if "switchboard" in targets:
    r = {"rps": ratio(rps["switchboard"], rps["nginx"]),
         "addedP50": ratio(added["switchboard"]["50"], added["nginx"]["50"]),
         "addedP99": ratio(added["switchboard"]["99"], added["nginx"]["99"]),
         "rpsVsDirect": ratio(rps["switchboard"], rps["direct"]),
         "perProxyCPU": ratio(med(per_cpu(x) for x in runs["switchboard"]), med(per_cpu(x) for x in runs["nginx"]))}
    per_round = [x["requestsPerSecond"] / y["requestsPerSecond"] for x, y in zip(runs["switchboard"], runs["nginx"])]
    print(f"switchboard/nginx req/s: {fmt(r['rps'])}   per round: " + ", ".join(f"{x:.3f}" for x in per_round))
    print(f"switchboard/nginx added p50: {fmt(r['addedP50'])}   added p99: {fmt(r['addedP99'])}   (lower is better)")
    print(f"switchboard/direct req/s: {fmt(r['rpsVsDirect'])}")
    print(f"switchboard/nginx requests per proxy CPU-second: {fmt(r['perProxyCPU'])}")
    summary["ratios"] = r
if any(x["non2xx"] + x["socketErrors"] for t in targets for x in runs[t]):
    print("warning: some runs had non-2xx answers or socket errors (see the .wrk files): their figures are suspect")
summary["runs"] = runs
json.dump(summary, open(f"{out}/summary.json", "w"), indent=2)
PY
echo "== results in $OUT"
