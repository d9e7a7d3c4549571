# Shared helpers for the benchmark scripts (sourced, not run).
#
# Environment: SKIP_BUILD=1 reuses the binaries in .build-bench/release; SCRATCH changes the scratch path.

SCRATCH=${SCRATCH:-.build-bench}
BIN="$SCRATCH/release"
PIDS=()

# Builds the given products in release mode, one at a time (2-core machines), in the benchmarks' own scratch path.
build_products() {
    if [[ "${SKIP_BUILD:-0}" == 1 ]]; then
        echo "== SKIP_BUILD=1: using the binaries in $BIN"
        return
    fi
    for product in "$@"; do
        echo "== swift build -c release --scratch-path $SCRATCH --product $product"
        SWITCHBOARD_BENCHMARKS=1 swift build -c release --scratch-path "$SCRATCH" --product "$product" >&2
    done
}

# CPU pinning: the server on core 0, the load generator on core 1, when taskset exists and there are 2+ cores.
SERVER_CPU=()
LOAD_CPU=()
if [[ "${PIN:-1}" == 1 ]] && command -v taskset >/dev/null && [[ $(nproc) -ge 2 ]]; then
    SERVER_CPU=(taskset -c 0)
    LOAD_CPU=(taskset -c 1)
fi

# Starts a server in the background; sets STARTED_PID.
start_server() {
    local log=$1
    shift
    "${SERVER_CPU[@]}" "$@" >"$log" 2>&1 &
    STARTED_PID=$!
    PIDS+=("$STARTED_PID")
}

# Waits until http://127.0.0.1:PORT/PATH answers 200, or fails after 30 s.
wait_ready() {
    local port=$1 path=$2 pid=$3 log=$4
    for _ in $(seq 1 300); do
        if curl -sf -o /dev/null "http://127.0.0.1:$port$path"; then return 0; fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "server exited before it was ready; its log ($log):" >&2
            cat "$log" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "server on port $port not ready after 30 s" >&2
    return 1
}

# Stops one server started by start_server (SIGTERM, then SIGKILL after 10 s).
stop_server() {
    local pid=$1
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# Stops every server still running (trap on exit).
stop_all() {
    for pid in "${PIDS[@]}"; do stop_server "$pid"; done
}

# Prints the machine in one line, for the record.
describe_machine() {
    local cpu
    cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')
    echo "== $(uname -sm), $(nproc) cores (${cpu:-unknown CPU}), $(swift --version 2>/dev/null | head -1)"
    echo "== load average before the run: $(cut -d" " -f1-3 /proc/loadavg) (other work on the machine skews wall-clock figures)"
    if [[ ${#SERVER_CPU[@]} -gt 0 ]]; then
        echo "== pinned: server on core 0 (${SERVER_CPU[*]}), load generator on core 1 (${LOAD_CPU[*]})"
    else
        echo "== not pinned (no taskset, fewer than 2 cores, or PIN=0)"
    fi
}

# Waits up to WAIT_QUIET seconds (default 60; 0: don't wait) until the whole machine was less than 10% busy over
# 3 s, so a measurement does not start while other work (a build, a test run) holds a core. Our own servers are
# idle between runs, so they do not count against it.
wait_quiet() {
    local limit=${WAIT_QUIET:-60} start=$SECONDS busy=100
    ((limit > 0)) || return 0
    while ((SECONDS - start < limit)); do
        local -a a b
        read -r -a a </proc/stat
        sleep 3
        read -r -a b </proc/stat
        local busy1=$((a[1] + a[2] + a[3] + a[6] + a[7] + a[8])) busy2=$((b[1] + b[2] + b[3] + b[6] + b[7] + b[8]))
        local total=$((busy2 - busy1 + b[4] - a[4] + b[5] - a[5]))
        busy=$(((busy2 - busy1) * 100 / (total > 0 ? total : 1)))
        ((busy < 10)) && return 0
    done
    echo "== warning: the machine was still ${busy}% busy after ${limit} s; this run may read low" >&2
}

# Installs Debian packages with apt-get (sudo when not root). Their init scripts are kept from starting system
# services (nginx on port 80, pushpin, zurl): a temporary /usr/sbin/policy-rc.d answers 101, unless the machine
# already has one, which is then left as it is.
install_packages() {
    local sudo="" guard=0
    [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null && sudo=sudo
    echo "== installing $* (apt-get)"
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        $sudo sh -c 'printf "#!/bin/sh\nexit 101\n" >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d'
        guard=1
    fi
    local status=0
    $sudo apt-get update -qq || status=$?
    if ((status == 0)); then
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null || status=$?
    fi
    ((guard == 0)) || $sudo rm -f /usr/sbin/policy-rc.d
    return "$status"
}

# CPU ticks (user + system, all threads) of processes and their children (an nginx master and its worker, the
# pushpin runner and its condure, zurl, proxy and handler). Divide by `getconf CLK_TCK` for seconds.
cpu_ticks() {
    local total=0 pid stat
    local -a fields
    for pid in "$@" $(for p in "$@"; do pgrep -P "$p" || true; done); do
        stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
        read -r -a fields <<<"${stat##*) }"
        total=$((total + fields[11] + fields[12]))
    done
    echo "$total"
}

# nginx_conf NAME HTTP_BLOCK [MAIN_LINES]: writes OUT/NAME/nginx.conf, a whole nginx.conf for one master run in
# the foreground (`daemon off`, worker_processes 1) with its pid, logs and temp paths under OUT/NAME (OUT must
# be absolute), access logs off and keep-alive raised so no connection closes during a run, WORKER_CONNECTIONS
# (4096) connections. MAIN_LINES go in the
# main context (e.g. `load_module …`). Run as root, the worker stays root instead of switching to nobody.
nginx_conf() {
    local name=$1 http_body=$2 main_lines=${3:-} dir="$OUT/$1" user_line=""
    [[ $(id -u) -eq 0 ]] && user_line="user $(id -un);"
    mkdir -p "$dir/tmp"
    cat >"$dir/nginx.conf" <<CONF
$user_line
$main_lines
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections ${WORKER_CONNECTIONS:-4096}; }
http {
    access_log off;
    client_body_temp_path $dir/tmp/client;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    keepalive_requests 100000000;
    keepalive_timeout 300s;
$http_body
}
CONF
}

# upstream_body BYTES: BYTES letters and digits, the fixed answer of the proxying benchmarks' upstream.
upstream_body() {
    python3 -c 'import string, sys
print(((string.ascii_letters + string.digits) * 9999)[:int(sys.argv[1])], end="")' "$1"
}

# nginx_upstream_conf NAME PORT BODY: an nginx on PORT answering every request with 200 and BODY (text/plain).
nginx_upstream_conf() {
    nginx_conf "$1" "
    server {
        listen 127.0.0.1:$2;
        location / {
            default_type text/plain;
            return 200 '$3';
        }
    }"
}

# nginx_proxy_conf NAME PORT UPSTREAM_PORT: an nginx on PORT in front of UPSTREAM_PORT with `proxy_pass` over a
# keep-alive pool of 64 connections (HTTP/1.1 upstream, `Connection` cleared).
nginx_proxy_conf() {
    nginx_conf "$1" "
    upstream backend {
        server 127.0.0.1:$3;
        keepalive 64;
        keepalive_requests 100000000;
        keepalive_timeout 300s;
    }
    server {
        listen 127.0.0.1:$2;
        location / {
            proxy_pass http://backend;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
        }
    }"
}

# start_nginx NAME [CPU…]: one nginx master (NGINX, default nginx on PATH) on OUT/NAME/nginx.conf, in the
# foreground of a background job, behind the given command prefix (e.g. taskset -c 0); sets STARTED_PID.
start_nginx() {
    local name=$1 nginx=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
    shift
    "$@" "$nginx" -p "$OUT/$name/" -c "$OUT/$name/nginx.conf" -e "$OUT/$name/error.log" >"$OUT/$name.log" 2>&1 &
    STARTED_PID=$!
    PIDS+=("$STARTED_PID")
}
