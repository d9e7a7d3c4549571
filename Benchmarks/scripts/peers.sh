#!/usr/bin/env bash
# Switchboard side by side with the peers Debian packages on this machine, the same load against each in one run,
# reported as ratios (issue 6):
#
#   ws      WebSocket messages through a gateway to an HTTP backend: Pushpin 1.36 in WebSocket-over-HTTP mode
#           (route `* 127.0.0.1:BACKEND,over_http`) against a Switchboard WebSocket API whose `$default` route is
#           HTTP_PROXY to the same backend (`routeResponseSelectionExpression: $default`, so the backend's answer
#           goes back to the client). The backend is `ws-over-http-echo` (Benchmarks/WSOverHTTPEcho, SwiftNIO): it
#           answers Pushpin's `application/websocket-events` requests event for event and echoes any other body.
#           Load: `switchboard-bench echo`, closed loop. Figures: messages/s, round-trip p50/p99.
#   fanout  Fan-out to N WebSocket connections: nginx 1.22 with the nchan 1.3.6 module (subscribers on
#           `/sub/bench`, `nchan_subscriber websocket`; publisher `POST /pub/bench`) against Switchboard's
#           `POST /dev/@broadcast`. Load: `switchboard-bench broadcast`, closed loop over FANOUT_CONCURRENCY
#           HTTP connections (or FANOUT_RATE broadcasts/s, open loop). Figures: delivered messages/s at the
#           clients, fan-out (post to each client's frame) p50/p99.
#   connect Opening CONNECT_CONNECTIONS idle WebSockets as fast as CONNECT_CONCURRENCY handshakes in flight allow:
#           nginx + nchan subscribers (`/sub/bench`) against Switchboard with a MOCK `$connect`
#           (`switchboard-bench connect`). Each round starts both servers afresh, so the RSS read before and after
#           the connections opened is the memory they cost. Figures: handshakes/s, handshake p50/p99, and RSS per
#           idle connection (the nginx worker's; Switchboard's process).
#   post    Post-to-connection, one node: Switchboard's `POST /dev/@connections/{id}` (ids learned with a MOCK
#           `whoami` route) against nchan with one channel per connection (connection i subscribes to `/sub/c<i>`,
#           posts go to `/pub/c<i>`: `switchboard-bench post --channels`), POST_CONNECTIONS receivers, closed loop
#           over POST_CONCURRENCY HTTP connections. Figures: posts/s (each delivered), delivery p50/p99.
#   cross   The same posts across two nodes sharing one redis-server: receivers on node A, posts through node B.
#           Two Switchboard nodes (`registry: redis://…`) against two nginx + nchan using the same Redis
#           (`nchan_redis_pass`). Both nodes and Redis are the gateway here (CPU columns).
#   http    HTTP proxying: nginx `proxy_pass` (keep-alive pool of 64) against a Switchboard HTTP API whose
#           `$default` route is HTTP_PROXY, in front of the same upstream (a third nginx answering `return 200`
#           with a BODY_BYTES body, as in proxy-vs-nginx.sh). Load: wrk -t1, keep-alive, closed loop (wrk, not
#           `switchboard-bench http`: that client tops out near 26,000 requests/s on one core, below nginx).
#           Figures: requests/s, p50/p99.
#
#   Benchmarks/scripts/peers.sh
#   ROUNDS=5 DURATION=20 Benchmarks/scripts/peers.sh
#   SCENARIOS="fanout" FANOUT_CONNECTIONS=5000 Benchmarks/scripts/peers.sh
#   SKIP_BUILD=1 ROUNDS=1 DURATION=5 WARMUP=1 Benchmarks/scripts/peers.sh    # a quick look
#
# Each scenario starts its servers, measures ROUNDS rounds (DURATION seconds after a WARMUP-second warm-up inside
# each switchboard-bench run; Switchboard and the peer alternate, the first one swapping every round), prints every
# round, then stops its servers. At the end one table gives, per scenario, the medians over the rounds and the
# ratio switchboard/peer of the headline figure (above 1: Switchboard does more), and OUT/summary.json has the
# medians, ratios and every run.
#
# Pinning (2 cores, `taskset`, PIN=0 turns it off): every server of a scenario (gateway or proxy, backend or
# upstream; Pushpin's runner, condure, zurl, proxy and handler; nginx's master and worker) on core 0, the load
# generator alone on core 1. Each gateway gets one core's worth of the same machine, one event loop for Switchboard
# (`server.eventLoopThreads: 1`) and one worker for nginx. CPU columns: the gateway's processes (and their
# children) over the whole switchboard-bench run, in % of one core; "msgs/CPU-s" divides the rate by it (the
# steadier figure when other work shares the machine). Watch the load generator's CPU: near 100 % means it is
# what is measured (add THREADS).
#
# Peers: nginx, libnginx-mod-nchan, pushpin and wrk from apt-get when missing (sudo when not root; their init scripts
# are kept from starting system services). Every nginx and Pushpin runs as the current user in the foreground with
# its config, logs and sockets under OUT (Pushpin's IPC sockets in a short-lived /tmp directory, since socket paths
# are limited to 108 bytes). Pushpin runs with log_level 1 (warnings; level 2 logs a line per request), nchan
# keeps no messages (`nchan_message_buffer_length 0`, Switchboard keeps none either). Every Switchboard config
# lifts the account throttle (`throttle: { rateLimit: 1000000000, burstLimit: 1000000000 }`).
#
# Environment (defaults): SCENARIOS ("ws fanout http connect post cross"), ROUNDS (3), DURATION (10 s), WARMUP (2 s), THREADS (1,
# load generator event loops); WS_CONNECTIONS (64), WS_MESSAGE (93 bytes, as echo-vs-hummingbird.sh);
# FANOUT_CONNECTIONS (1000), FANOUT_CONCURRENCY (4), FANOUT_RATE (unset: closed loop), FANOUT_MESSAGE;
# HTTP_CONNECTIONS (32), BODY_BYTES (1024), REQUEST_PATH (/bench/item); CONNECT_CONNECTIONS (8000; both the
# server and the load generator hold one descriptor each, under this machine's 20,000 per process),
# CONNECT_CONCURRENCY (256); POST_CONNECTIONS (100), POST_CONCURRENCY (32), POST_RATE and CROSS_RATE (unset: closed
# loop; a rate makes `post` / `cross` an open loop at that many posts/s, where p99 is the figure to compare); ports BACKEND_PORT (18091), PUSHPIN_PORT
# (18092, and 18100-18103 for its handler), SB_PORT (18093), NCHAN_PORT (18094), UPSTREAM_PORT (18095),
# NGINX_PORT (18096), SB2_PORT (18097), NCHAN2_PORT (18098), REDIS_PORT (18099); SWITCHBOARD_BIN, NGINX, OUT (.build-bench/results/peers-DATE), SKIP_BUILD (0), PIN (1),
# WAIT_QUIET (60: wait up to this many seconds before each run for the machine to be idle; 0 turns it off).
set -euo pipefail
cd "$(dirname "$0")/../.."
source Benchmarks/scripts/common.sh

SCENARIOS=${SCENARIOS:-ws fanout http connect post cross}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
THREADS=${THREADS:-1}
WS_CONNECTIONS=${WS_CONNECTIONS:-64}
WS_MESSAGE=${WS_MESSAGE:-'{"action":"echo","data":"The quick brown fox jumps over the lazy dog; 0123456789 abcdefghij"}'}
FANOUT_CONNECTIONS=${FANOUT_CONNECTIONS:-1000}
FANOUT_CONCURRENCY=${FANOUT_CONCURRENCY:-4}
FANOUT_RATE=${FANOUT_RATE:-}
FANOUT_MESSAGE=${FANOUT_MESSAGE:-'{"event":"price","symbol":"SWBD","value":"101.25"}'}
HTTP_CONNECTIONS=${HTTP_CONNECTIONS:-32}
BODY_BYTES=${BODY_BYTES:-1024}
REQUEST_PATH=${REQUEST_PATH:-/bench/item}
BACKEND_PORT=${BACKEND_PORT:-18091}
PUSHPIN_PORT=${PUSHPIN_PORT:-18092}
SB_PORT=${SB_PORT:-18093}
NCHAN_PORT=${NCHAN_PORT:-18094}
UPSTREAM_PORT=${UPSTREAM_PORT:-18095}
NGINX_PORT=${NGINX_PORT:-18096}
SB2_PORT=${SB2_PORT:-18097}
NCHAN2_PORT=${NCHAN2_PORT:-18098}
REDIS_PORT=${REDIS_PORT:-18099}
CONNECT_CONNECTIONS=${CONNECT_CONNECTIONS:-8000}
CONNECT_CONCURRENCY=${CONNECT_CONCURRENCY:-256}
POST_CONNECTIONS=${POST_CONNECTIONS:-100}
POST_CONCURRENCY=${POST_CONCURRENCY:-32}
POST_RATE=${POST_RATE:-}
CROSS_RATE=${CROSS_RATE:-}
OUT=${OUT:-$SCRATCH/results/peers-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)   # nginx and pushpin want absolute paths

for scenario in $SCENARIOS; do
    case $scenario in
    ws | fanout | http | connect | post | cross) ;;
    *) echo "SCENARIOS: unknown scenario '$scenario' (ws, fanout, http, connect, post, cross)" >&2; exit 2 ;;
    esac
done

# --- peers from apt, our binaries from the build --------------------------------------------------------------------
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
NCHAN_MODULE=/usr/lib/nginx/modules/ngx_nchan_module.so
missing=()
[[ -x "$NGINX" ]] || missing+=(nginx)
[[ " $SCENARIOS " =~ \ (fanout|connect|post|cross)\  && ! -e "$NCHAN_MODULE" ]] && missing+=(libnginx-mod-nchan)
[[ " $SCENARIOS " == *" cross "* ]] && ! command -v redis-server >/dev/null && missing+=(redis-server)
[[ " $SCENARIOS " == *" ws "* ]] && ! command -v pushpin >/dev/null && missing+=(pushpin)
[[ " $SCENARIOS " == *" http "* ]] && ! command -v wrk >/dev/null && missing+=(wrk)
if ((${#missing[@]} > 0)); then
    install_packages "${missing[@]}"
    NGINX=$(command -v nginx || echo /usr/sbin/nginx)
fi

products=(switchboard-bench ws-over-http-echo)
if [[ -n "${SWITCHBOARD_BIN:-}" ]]; then
    echo "== SWITCHBOARD_BIN: using $SWITCHBOARD_BIN"
else
    products=(switchboard "${products[@]}")
    SWITCHBOARD_BIN=$BIN/switchboard
fi
build_products "${products[@]}"
for binary in "$SWITCHBOARD_BIN" "$BIN/switchboard-bench" "$BIN/ws-over-http-echo"; do
    [[ -x "$binary" ]] || { echo "no binary at $binary" >&2; exit 1; }
done

describe_machine
echo "== $($NGINX -v 2>&1)$(command -v pushpin >/dev/null && echo ", $(pushpin --version 2>&1 | head -1)")," \
    "nchan $(dpkg-query -W -f '${Version}' libnginx-mod-nchan 2>/dev/null || echo '?')"
echo "== scenarios: $SCENARIOS; $ROUNDS rounds × ${DURATION} s (+${WARMUP} s warm-up) per target," \
    "$THREADS load thread(s)"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"   # a container may cap the hard limit
PUSHPIN_RUN=""
cleanup() {
    stop_all
    [[ -n "$PUSHPIN_RUN" ]] && rm -rf "$PUSHPIN_RUN"
    return 0
}
trap cleanup EXIT

# Stops every server started so far (between scenarios).
stop_scenario() {
    stop_all
    PIDS=()
}

# start_switchboard NAME YAML [PORT]: Switchboard on OUT/NAME.yaml (the YAML with __PORT__ (PORT, default
# SB_PORT), __BACKEND_PORT__, __UPSTREAM_PORT__ and __REDIS_PORT__ filled in); sets SB_PID once it is ready.
start_switchboard() {
    local name=$1 port=${3:-$SB_PORT}
    sed -e "s/__PORT__/$port/g" -e "s/__BACKEND_PORT__/$BACKEND_PORT/g" -e "s/__UPSTREAM_PORT__/$UPSTREAM_PORT/g" \
        -e "s/__REDIS_PORT__/$REDIS_PORT/g" <<<"$2" >"$OUT/$name.yaml"
    start_server "$OUT/$name.log" "$SWITCHBOARD_BIN" serve --config "$OUT/$name.yaml" --log-level warning
    SB_PID=$STARTED_PID
    wait_ready "$port" /_switchboard/health "$SB_PID" "$OUT/$name.log"
}

# measure SCENARIO TARGET ROUND "GATEWAY_PIDS" "BACKEND_PIDS" SWITCHBOARD-BENCH-ARGS…: one switchboard-bench run on
# core 1, its JSON in OUT/SCENARIO-TARGET-ROUND.json, and the CPU of the gateway's and the backend's processes over
# the run in OUT/SCENARIO-TARGET-ROUND.cpu.
measure() {
    local scenario=$1 target=$2 round=$3 gateway=$4 backend=$5 base
    shift 5
    base="$OUT/$scenario-$target-$round"
    wait_quiet
    local g0 b0 g1 b1 t0 t1
    # shellcheck disable=SC2086 # the pid lists are meant to split
    g0=$(cpu_ticks $gateway)
    # shellcheck disable=SC2086
    b0=$(cpu_ticks $backend)
    t0=$(date +%s%N)
    local timing=(--duration "$DURATION" --warmup "$WARMUP")
    [[ $1 == connect ]] && timing=()   # opens its connections and stops
    "${LOAD_CPU[@]}" "$BIN/switchboard-bench" "$@" --threads "$THREADS" "${timing[@]}" \
        --label "$scenario $target round $round" --json "$base.json" | sed 's/^/    /'
    t1=$(date +%s%N)
    # shellcheck disable=SC2086
    g1=$(cpu_ticks $gateway)
    # shellcheck disable=SC2086
    b1=$(cpu_ticks $backend)
    echo "$((g1 - g0)) $((b1 - b0)) $(((t1 - t0) / 1000)) $(getconf CLK_TCK)" >"$base.cpu"
}

# measure_wrk SCENARIO TARGET ROUND "GATEWAY_PIDS" "BACKEND_PIDS" URL: as measure, with wrk (a WARMUP-second
# run, then -t1 -cHTTP_CONNECTIONS -dDURATION --latency); its figures in OUT/SCENARIO-TARGET-ROUND.json under
# switchboard-bench's names (requestsPerSecond, latencyMicros, statuses, errors, clientCPUPercent).
measure_wrk() {
    local scenario=$1 target=$2 round=$3 gateway=$4 backend=$5 url=$6 base
    base="$OUT/$scenario-$target-$round"
    wait_quiet
    if ((WARMUP > 0)); then
        "${LOAD_CPU[@]}" wrk -t1 -c"$HTTP_CONNECTIONS" -d"${WARMUP}s" "$url" >/dev/null 2>&1
    fi
    local g0 b0 g1 b1 t0 t1 times
    # shellcheck disable=SC2086 # the pid lists are meant to split
    g0=$(cpu_ticks $gateway)
    # shellcheck disable=SC2086
    b0=$(cpu_ticks $backend)
    t0=$(date +%s%N)
    times=$( { TIMEFORMAT='%U %S'; time "${LOAD_CPU[@]}" wrk -t1 -c"$HTTP_CONNECTIONS" -d"${DURATION}s" --latency \
        "$url" >"$base.wrk" 2>&1; } 2>&1 )
    t1=$(date +%s%N)
    # shellcheck disable=SC2086
    g1=$(cpu_ticks $gateway)
    # shellcheck disable=SC2086
    b1=$(cpu_ticks $backend)
    echo "$((g1 - g0)) $((b1 - b0)) $(((t1 - t0) / 1000)) $(getconf CLK_TCK)" >"$base.cpu"
    # shellcheck disable=SC2086 # times is "user system"
    python3 - "$base" "$scenario $target round $round" "$url" "$(((t1 - t0) / 1000))" $times <<'PY'
import json, re, sys
base, label, url, micros, user, system = sys.argv[1:]
text = open(base + ".wrk").read()
units = {"us": 1, "ms": 1e3, "s": 1e6, "m": 60e6, "h": 3600e6}
def latency(p):
    m = re.search(rf"^\s*{p}%\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.M)
    return float(m.group(1)) * units[m.group(2)] if m else 0.0
rps = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
requests = re.search(r"^\s*(\d+) requests in", text, re.M)
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
total = int(requests.group(1)) if requests else 0
bad = int(non2xx.group(1)) if non2xx else 0
run = {"scenario": "http", "tool": "wrk", "label": label, "url": url,
       "requestsPerSecond": float(rps.group(1)) if rps else 0.0, "requests": total,
       "latencyMicros": {"p50": latency(50), "p75": latency(75), "p90": latency(90), "p99": latency(99)},
       "statuses": {"2xx": total - bad, "other": bad},
       "errors": sum(int(x) for x in sock.groups()) if sock else 0,
       "clientCPUPercent": (float(user) + float(system)) / (int(micros) / 1e6) * 100}
json.dump(run, open(base + ".json", "w"), indent=2)
l = run["latencyMicros"]
print(f"    {label}: {run['requestsPerSecond']:.0f} req/s, p50 {l['p50']:.1f} µs, p99 {l['p99']:.1f} µs, "
      f"non-2xx {bad}, socket errors {run['errors']}, wrk CPU {run['clientCPUPercent']:.1f}%")
PY
}

# rounds SCENARIO PEER: ROUNDS rounds of `run_target SCENARIO TARGET ROUND`, Switchboard first in odd rounds.
rounds() {
    local scenario=$1 peer=$2 round
    for round in $(seq 1 "$ROUNDS"); do
        if ((round % 2 == 1)); then
            run_target "$scenario" switchboard "$round"
            run_target "$scenario" "$peer" "$round"
        else
            run_target "$scenario" "$peer" "$round"
            run_target "$scenario" switchboard "$round"
        fi
    done
}

# --- ws: Pushpin WebSocket-over-HTTP vs Switchboard HTTP_PROXY ------------------------------------------------------
# Pushpin's own config (the Debian package's, with every path and port ours). The package's internal.conf points
# zurl at the system zurl (/var/run/zurl); the copy points it at the zurl the runner starts.
pushpin_conf() {
    local dir="$OUT/pushpin"
    mkdir -p "$dir/log"
    PUSHPIN_RUN=$(mktemp -d /tmp/sb-pushpin.XXXXXX)
    sed -e 's#ipc:///var/run/zurl/zurl-#ipc://{rundir}/{ipc_prefix}zurl-#' /usr/lib/pushpin/internal.conf \
        >"$dir/internal.conf"
    echo "* 127.0.0.1:$BACKEND_PORT,over_http" >"$dir/routes"
    cat >"$dir/pushpin.conf" <<EOF
[global]
include=$dir/internal.conf
rundir=$PUSHPIN_RUN
ipc_prefix=pushpin-
port_offset=0
stats_connection_ttl=120

[runner]
services=condure,zurl,pushpin-proxy,pushpin-handler
http_port=127.0.0.1:$PUSHPIN_PORT
logdir=$dir/log
log_level=1
client_buffer_size=8192
client_maxconn=50000
condure_bin=condure
zurl_bin=zurl

[proxy]
routesfile=$dir/routes
debug=false
auto_cross_origin=false
accept_x_forwarded_protocol=false
set_x_forwarded_protocol=proto-only
x_forwarded_for=
x_forwarded_for_trusted=
orig_headers_need_mark=
accept_pushpin_route=false
log_from=false
log_user_agent=false
sig_iss=pushpin
sig_key=changeme
upstream_key=
updates_check=off

[handler]
push_in_spec=tcp://127.0.0.1:18100
push_in_sub_specs=tcp://127.0.0.1:18102
push_in_sub_connect=false
push_in_http_addr=127.0.0.1
push_in_http_port=18101
push_in_http_max_headers_size=10000
push_in_http_max_body_size=1000000
stats_spec=ipc://{rundir}/{ipc_prefix}stats
command_spec=tcp://127.0.0.1:18103
message_rate=2500
message_hwm=25000
message_wait=5000
id_cache_ttl=60
connection_subscription_max=20
subscription_linger=60
stats_subscription_ttl=60
stats_report_interval=10
stats_format=tnetstring
EOF
}

scenario_ws() {
    echo
    echo "== ws: WebSocket messages through the gateway to an HTTP backend" \
        "(Pushpin over_http vs Switchboard HTTP_PROXY)"
    start_server "$OUT/ws-backend.log" "$BIN/ws-over-http-echo" --port "$BACKEND_PORT" --threads 1
    BACKEND_PID=$STARTED_PID
    wait_ready "$BACKEND_PORT" /health "$BACKEND_PID" "$OUT/ws-backend.log"
    pushpin_conf
    start_server "$OUT/pushpin.log" pushpin --config "$OUT/pushpin/pushpin.conf" --merge-output
    PEER_PID=$STARTED_PID
    wait_ready "$PUSHPIN_PORT" /health "$PEER_PID" "$OUT/pushpin.log"
    start_switchboard ws-switchboard '
server: { listen: 127.0.0.1:__PORT__, eventLoopThreads: 1 }
throttle: { rateLimit: 1000000000, burstLimit: 1000000000 }
registry: memory
apis:
  - id: relay
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    stages: [ { name: dev } ]
    routes:
      $default:
        integration: { type: HTTP_PROXY, uri: "http://127.0.0.1:__BACKEND_PORT__/message" }
        routeResponseSelectionExpression: $default
'
    echo "== backend pid $BACKEND_PID, pushpin runner pid $PEER_PID ($(pgrep -P "$PEER_PID" | wc -l) services)," \
        "switchboard pid $SB_PID; $WS_CONNECTIONS connections × 1 in flight, ${#WS_MESSAGE}-byte message"
    run_target() {
        local port=$PUSHPIN_PORT pid=$PEER_PID
        [[ $2 == switchboard ]] && port=$SB_PORT pid=$SB_PID
        measure "$1" "$2" "$3" "$pid" "$BACKEND_PID" echo --url "ws://127.0.0.1:$port/dev" \
            --connections "$WS_CONNECTIONS" --message "$WS_MESSAGE"
    }
    rounds ws pushpin
    stop_scenario
}

# start_nchan NAME PORT CONNECTIONS [REDIS]: nginx + nchan on PORT (subscribers `/sub/<channel>` over WebSocket,
# publisher `POST /pub/<channel>`, no messages kept), its worker allowed CONNECTIONS connections; with REDIS (any
# value) the channels live in the redis-server on REDIS_PORT (`nchan_redis_pass`), shared by every such nginx.
# Sets PEER_PID (the master) once it answers.
start_nchan() {
    local name=$1 port=$2 connections=$3 redis="" upstream=""
    if [[ -n "${4:-}" ]]; then
        upstream="upstream nchan_redis { nchan_redis_server redis://127.0.0.1:$REDIS_PORT; }"
        redis="nchan_redis_pass nchan_redis;"
    fi
    # Published messages stay in nchan's shared memory until they time out, even unbuffered: the default 128 MB
    # runs out (500 on every publish) after a few hundred thousand posts.
    WORKER_CONNECTIONS=$connections nginx_conf "$name" "
    nchan_shared_memory_size 1024M;
    $upstream
    server {
        listen 127.0.0.1:$port;
        location = /health { return 200 'ok'; }
        location ~ ^/sub/(\\w+)\$ {
            nchan_subscriber websocket;
            nchan_channel_id \$1;
            $redis
        }
        location ~ ^/pub/(\\w+)\$ {
            nchan_publisher http;
            nchan_channel_id \$1;
            nchan_message_buffer_length 0;
            $redis
        }
    }" "load_module $NCHAN_MODULE;"
    start_nginx "$name" "${SERVER_CPU[@]}"
    PEER_PID=$STARTED_PID
    wait_ready "$port" /health "$PEER_PID" "$OUT/$name/error.log"
}

# --- fanout: nginx + nchan vs Switchboard @broadcast ----------------------------------------------------------------
scenario_fanout() {
    echo
    echo "== fanout: one message to $FANOUT_CONNECTIONS WebSocket connections (nginx + nchan vs Switchboard @broadcast)"
    start_nchan nchan "$NCHAN_PORT" $((FANOUT_CONNECTIONS + 1024))
    start_switchboard fanout-switchboard '
server: { listen: 127.0.0.1:__PORT__, eventLoopThreads: 1 }
throttle: { rateLimit: 1000000000, burstLimit: 1000000000 }
registry: memory
apis:
  - id: fanout
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    stages: [ { name: dev } ]
    routes:
      $default: { integration: { type: MOCK } }
'
    local load="closed loop over $FANOUT_CONCURRENCY HTTP connection(s)"
    local pace=(--concurrency "$FANOUT_CONCURRENCY")
    if [[ -n "$FANOUT_RATE" ]]; then
        load="$FANOUT_RATE broadcasts/s (open loop)"
        pace+=(--rate "$FANOUT_RATE")
    fi
    echo "== nchan nginx pid $PEER_PID, switchboard pid $SB_PID; $FANOUT_CONNECTIONS receivers, $load"
    run_target() {
        local target=(--url "ws://127.0.0.1:$NCHAN_PORT/sub/bench"
            --publish-url "http://127.0.0.1:$NCHAN_PORT/pub/bench" --header 'Accept: text/json'
            --delivered-field subscribers)
        local pid=$PEER_PID
        if [[ $2 == switchboard ]]; then
            target=(--url "ws://127.0.0.1:$SB_PORT/dev" --broadcast-url "http://127.0.0.1:$SB_PORT/dev")
            pid=$SB_PID
        fi
        measure "$1" "$2" "$3" "$pid" "" broadcast "${target[@]}" --connections "$FANOUT_CONNECTIONS" \
            "${pace[@]}" --message "$FANOUT_MESSAGE"
    }
    rounds fanout nchan
    stop_scenario
}

# --- connect: handshakes/s and RSS per idle connection, nginx + nchan vs Switchboard (MOCK $connect) -------------
scenario_connect() {
    echo
    echo "== connect: $CONNECT_CONNECTIONS idle WebSockets, $CONNECT_CONCURRENCY handshakes in flight" \
        "(nginx + nchan subscribers vs Switchboard with a MOCK \$connect), both servers fresh each round"
    run_target() {
        local pid url
        if [[ $2 == switchboard ]]; then
            start_switchboard connect-switchboard '
server: { listen: 127.0.0.1:__PORT__, eventLoopThreads: 1 }
throttle: { rateLimit: 1000000000, burstLimit: 1000000000 }
registry: memory
apis:
  - id: idle
    protocolType: WEBSOCKET
    routeSelectionExpression: $request.body.action
    stages: [ { name: dev } ]
    webSocket: { compression: { mode: "off" } }
    routes:
      $connect: { integration: { type: MOCK, requestTemplates: { $default: '"'"'{"statusCode": 200}'"'"' } } }
      $default: { integration: { type: MOCK } }
'
            pid=$SB_PID url="ws://127.0.0.1:$SB_PORT/dev"
        else
            start_nchan connect-nchan "$NCHAN_PORT" $((CONNECT_CONNECTIONS + 1024))
            sleep 0.5
            pid=$(pgrep -P "$PEER_PID" | head -1) url="ws://127.0.0.1:$NCHAN_PORT/sub/idle"
        fi
        measure "$1" "$2" "$3" "$pid" "" connect --url "$url" --connections "$CONNECT_CONNECTIONS" \
            --concurrency "$CONNECT_CONCURRENCY" --sources 4 --pid "$pid"
        stop_scenario
    }
    rounds connect nchan
}

# --- post: post-to-connection on one node, nchan channel per connection vs Switchboard @connections --------------
WHOAMI_ROUTE='
      whoami:
        integration:
          type: MOCK
          integrationResponses:
            - { integrationResponseKey: $default, responseTemplates: { $default: '"'"'{"connectionId":"$context.connectionId"}'"'"' } }
        routeResponseSelectionExpression: $default'

post_api() {
    cat <<YAML
apis:
  - id: chat
    protocolType: WEBSOCKET
    routeSelectionExpression: \$request.body.action
    stages: [ { name: dev } ]
    webSocket: { compression: { mode: "off" } }
    routes:
      \$default: { integration: { type: MOCK } }$WHOAMI_ROUTE
YAML
}

# measure_posts SCENARIO TARGET ROUND "PIDS" RECEIVE_PORT POST_PORT [RATE]: one `switchboard-bench post` run with the
# receivers on RECEIVE_PORT and the posts to POST_PORT: Switchboard's `/dev` stage and `@connections`, or nchan's
# `/sub` and `/pub` with a channel per connection (`--channels`); an open loop at RATE posts/s when given.
measure_posts() {
    local paths=(--url "ws://127.0.0.1:$5/sub" --post-url "http://127.0.0.1:$6/pub" --channels)
    [[ $2 == switchboard ]] && paths=(--url "ws://127.0.0.1:$5/dev" --post-url "http://127.0.0.1:$6/dev")
    measure "$1" "$2" "$3" "$4" "" post "${paths[@]}" --connections "$POST_CONNECTIONS" \
        --concurrency "$POST_CONCURRENCY" ${7:+--rate "$7"}
}

scenario_post() {
    echo
    echo "== post: $POST_CONNECTIONS receivers on one node, closed loop over $POST_CONCURRENCY HTTP connections" \
        "(nginx + nchan, a channel per connection, vs Switchboard @connections)"
    start_nchan post-nchan "$NCHAN_PORT" 4096
    start_switchboard post-switchboard "
server: { listen: 127.0.0.1:__PORT__, eventLoopThreads: 1 }
throttle: { rateLimit: 1000000000, burstLimit: 1000000000 }
registry: memory
$(post_api)"
    echo "== nchan nginx pid $PEER_PID, switchboard pid $SB_PID"
    run_target() {
        if [[ $2 == switchboard ]]; then
            measure_posts "$1" "$2" "$3" "$SB_PID" "$SB_PORT" "$SB_PORT" "$POST_RATE"
        else
            measure_posts "$1" "$2" "$3" "$PEER_PID" "$NCHAN_PORT" "$NCHAN_PORT" "$POST_RATE"
        fi
    }
    rounds post nchan
    stop_scenario
}

# --- cross: the same posts across two nodes sharing Redis -------------------------------------------------------
scenario_cross() {
    echo
    echo "== cross: $POST_CONNECTIONS receivers on node A, posts through node B, one redis-server" \
        "(2 × nginx + nchan with nchan_redis_pass vs 2 Switchboard nodes with registry: redis)"
    start_server "$OUT/cross-redis.log" redis-server --port "$REDIS_PORT" --save "" --appendonly no
    local redis_pid=$STARTED_PID
    for _ in $(seq 1 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
    start_nchan cross-nchan-a "$NCHAN_PORT" 4096 redis
    local nchan_pids=$PEER_PID
    start_nchan cross-nchan-b "$NCHAN2_PORT" 4096 redis
    nchan_pids+=" $PEER_PID"
    local node sb_pids="" port
    for node in a b; do
        port=$SB_PORT
        [[ $node == b ]] && port=$SB2_PORT
        start_switchboard "cross-switchboard-$node" "
server: { listen: 127.0.0.1:__PORT__, eventLoopThreads: 1, nodeId: node-$node }
throttle: { rateLimit: 1000000000, burstLimit: 1000000000 }
registry: redis://127.0.0.1:__REDIS_PORT__/0
$(post_api)" "$port"
        sb_pids+=" $SB_PID"
    done
    echo "== redis pid $redis_pid, nchan nginx pids $nchan_pids, switchboard pids$sb_pids"
    run_target() {
        if [[ $2 == switchboard ]]; then
            measure_posts "$1" "$2" "$3" "$sb_pids $redis_pid" "$SB_PORT" "$SB2_PORT" "$CROSS_RATE"
        else
            measure_posts "$1" "$2" "$3" "$nchan_pids $redis_pid" "$NCHAN_PORT" "$NCHAN2_PORT" "$CROSS_RATE"
        fi
    }
    rounds cross nchan-redis
    stop_scenario
}

# --- http: nginx proxy_pass vs Switchboard HTTP_PROXY ---------------------------------------------------------------
scenario_http() {
    echo
    echo "== http: HTTP proxying to an nginx upstream (nginx proxy_pass vs Switchboard HTTP API HTTP_PROXY)"
    local body
    body=$(upstream_body "$BODY_BYTES")
    nginx_upstream_conf upstream "$UPSTREAM_PORT" "$body"
    nginx_proxy_conf proxy "$NGINX_PORT" "$UPSTREAM_PORT"
    start_nginx upstream "${SERVER_CPU[@]}"
    BACKEND_PID=$STARTED_PID
    wait_ready "$UPSTREAM_PORT" / "$BACKEND_PID" "$OUT/upstream/error.log"
    start_nginx proxy "${SERVER_CPU[@]}"
    PEER_PID=$STARTED_PID
    wait_ready "$NGINX_PORT" / "$PEER_PID" "$OUT/proxy/error.log"
    start_switchboard http-switchboard '
server: { listen: 127.0.0.1:__PORT__, eventLoopThreads: 1 }
throttle: { rateLimit: 1000000000, burstLimit: 1000000000 }
registry: memory
apis:
  - id: proxy
    protocolType: HTTP
    stages: [ { name: $default } ]
    routes:
      $default: { integration: { type: HTTP_PROXY, uri: "http://127.0.0.1:__UPSTREAM_PORT__" } }
'
    # Both proxies must answer with 200 and the upstream's body before anything is measured.
    local name port status
    for name in nginx switchboard; do
        port=$NGINX_PORT
        [[ $name == switchboard ]] && port=$SB_PORT
        status=$(curl -s -o "$OUT/http-check-$name.body" -w '%{http_code}' \
            "http://127.0.0.1:$port$REQUEST_PATH" || true)
        if [[ "$status" != 200 ]] || ! cmp -s "$OUT/http-check-$name.body" <(printf '%s' "$body"); then
            echo "$name: GET $REQUEST_PATH answered $status, not 200 with the upstream's $BODY_BYTES-byte body" >&2
            exit 1
        fi
    done
    echo "== upstream nginx pid $BACKEND_PID, nginx proxy pid $PEER_PID, switchboard pid $SB_PID;" \
        "$HTTP_CONNECTIONS connections, GET $REQUEST_PATH ($BODY_BYTES-byte answer)"
    run_target() {
        local port=$NGINX_PORT pid=$PEER_PID
        [[ $2 == switchboard ]] && port=$SB_PORT pid=$SB_PID
        measure_wrk "$1" "$2" "$3" "$pid" "$BACKEND_PID" "http://127.0.0.1:$port$REQUEST_PATH"
    }
    rounds http nginx
    stop_scenario
}

for scenario in $SCENARIOS; do
    "scenario_$scenario"
done

python3 - "$OUT" "$ROUNDS" $SCENARIOS <<'PY'
import json, statistics, sys
out, rounds, scenarios = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
PEERS = {"ws": "pushpin", "fanout": "nchan", "http": "nginx", "connect": "nchan", "post": "nchan",
         "cross": "nchan-redis"}
# Per scenario: headline rate, its unit, the latency summary it is read with, and what counts as an error.
RATE = {"ws": ("messagesPerSecond", "msgs/s", "latencyMicros"),
        "fanout": ("deliveredPerSecond", "delivered/s", "fanOutLatencyMicros"),
        "http": ("requestsPerSecond", "req/s", "latencyMicros"),
        "connect": ("handshakesPerSecond", "handshakes/s", "handshakeLatencyMicros"),
        "post": ("postsPerSecond", "posts/s", "deliveryLatencyMicros"),
        "cross": ("postsPerSecond", "posts/s", "deliveryLatencyMicros")}
def errors(scenario, run):
    if scenario == "ws":
        return run["errors"] + run["mismatches"]
    if scenario == "fanout":
        return run["errors"] + max(run["missing"], 0) + run["droppedConnections"]
    if scenario == "connect":
        return run["failures"] + run["droppedWhileIdle"]
    if scenario in ("post", "cross"):
        bad = sum(n for status, n in run["nodes"][0]["statuses"].items() if not status.startswith("2"))
        return run["errors"] + bad + abs(run["nodes"][0]["undelivered"]) + run["droppedConnections"]
    bad = sum(n for status, n in run["statuses"].items() if not status.startswith("2"))
    return run["errors"] + bad
def load(scenario, target, rnd):
    base = f"{out}/{scenario}-{target}-{rnd}"
    run = json.load(open(base + ".json"))
    gateway, backend, micros, hz = (int(x) for x in open(base + ".cpu").read().split())
    wall = micros / 1e6
    run["gatewayCPUPercent"] = gateway / hz / wall * 100
    run["backendCPUPercent"] = backend / hz / wall * 100 if scenario != "fanout" else None
    return run
med = statistics.median
fmt = lambda x, spec=".3f": format(x, spec) if x is not None else "n/a"
summary = {"scenarios": {}}
table = []
for scenario in scenarios:
    peer = PEERS[scenario]
    key, unit, lat = RATE[scenario]
    runs = {t: [load(scenario, t, r) for r in range(1, rounds + 1)] for t in ("switchboard", peer)}
    print(f"\n{scenario}: switchboard vs {peer}")
    print(f"{'target':<12} {unit + ' (median)':>20} {'rounds':>30} {'p50 µs':>9} {'p99 µs':>9} {'gw CPU%':>8} "
          f"{'per gw CPU-s':>12} {'load CPU%':>9} {'errors':>7}")
    medians = {}
    for t, rs in runs.items():
        rate = med(r[key] for r in rs)
        cpu = med(r["gatewayCPUPercent"] for r in rs)
        per_cpu = med(r[key] / (r["gatewayCPUPercent"] / 100) if r["gatewayCPUPercent"] else 0 for r in rs)
        medians[t] = {"rate": rate, "p50": med(r[lat]["p50"] for r in rs), "p99": med(r[lat]["p99"] for r in rs),
                      "gatewayCPUPercent": cpu, "perGatewayCPUSecond": per_cpu,
                      "loadCPUPercent": med(r.get("clientCPUPercent") or 0 for r in rs),
                      "errors": sum(errors(scenario, r) for r in rs)}
        m = medians[t]
        print(f"{t:<12} {rate:>20.0f} {', '.join(str(int(r[key])) for r in rs):>30} {m['p50']:>9.1f} "
              f"{m['p99']:>9.1f} {cpu:>8.1f} {per_cpu:>12.0f} {m['loadCPUPercent']:>9.1f} {m['errors']:>7}")
    sb, pr = medians["switchboard"], medians[peer]
    ratio = lambda a, b: a / b if b else None
    per_round = [ratio(s[key], p[key]) for s, p in zip(runs["switchboard"], runs[peer])]
    ratios = {"rate": ratio(sb["rate"], pr["rate"]), "perRound": per_round,
              "perGatewayCPUSecond": ratio(sb["perGatewayCPUSecond"], pr["perGatewayCPUSecond"]),
              "p50": ratio(sb["p50"], pr["p50"]), "p99": ratio(sb["p99"], pr["p99"])}
    if scenario == "connect":
        for t, rs in runs.items():
            medians[t]["rssPerConnectionKB"] = med(r.get("rssPerConnectionKB") or 0 for r in rs)
        ratios["rssPerConnection"] = ratio(medians["switchboard"]["rssPerConnectionKB"], medians[peer]["rssPerConnectionKB"])
        print(f"RSS per idle connection (median KB): switchboard {medians['switchboard']['rssPerConnectionKB']:.2f}, "
              f"{peer} {medians[peer]['rssPerConnectionKB']:.2f}, ratio {fmt(ratios['rssPerConnection'])} "
              "(below 1: Switchboard uses less)")
    if scenario == "fanout":
        for t, rs in runs.items():
            medians[t]["broadcastsPerSecond"] = med(r["broadcastsPerSecond"] for r in rs)
            medians[t]["broadcastResponseP50"] = med(r["broadcastLatencyMicros"]["p50"] for r in rs)
    summary["scenarios"][scenario] = {"peer": peer, "unit": unit, "medians": medians, "ratios": ratios, "runs": runs}
    table.append((scenario, peer, unit, sb, pr, ratios))
    if sb["errors"] or pr["errors"]:
        print("warning: some runs had errors, mismatched answers, missing deliveries or non-2xx answers "
              "(see the JSON files): their figures are suspect")

print("\nsummary (medians; ratio = switchboard / peer, above 1 is Switchboard ahead for rates, behind for latency)")
print(f"{'scenario':<8} {'peer':<22} {'unit':<12} {'switchboard':>12} {'peer':>12} {'ratio':>7} {'per CPU-s':>9} "
      f"{'p50 µs sb / peer':>20} {'p99 µs sb / peer':>20}")
names = {"pushpin": "Pushpin over_http", "nchan": "nginx + nchan", "nginx": "nginx proxy_pass",
         "nchan-redis": "2 nginx+nchan, Redis"}
for scenario, peer, unit, sb, pr, r in table:
    print(f"{scenario:<8} {names[peer]:<22} {unit:<12} {sb['rate']:>12.0f} {pr['rate']:>12.0f} {fmt(r['rate']):>7} "
          f"{fmt(r['perGatewayCPUSecond']):>9} {sb['p50']:>9.0f} / {pr['p50']:<8.0f} "
          f"{sb['p99']:>9.0f} / {pr['p99']:<8.0f}")
json.dump(summary, open(f"{out}/summary.json", "w"), indent=2)
PY
echo "== results in $OUT"
