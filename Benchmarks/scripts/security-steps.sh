#!/usr/bin/env bash
# What each security step costs on the request path, measured with wrk against one Switchboard in one run:
#
#   open     HTTP API GET /open, MOCK, no security step (the baseline)
#   lambda   HTTP API GET /lambda, a REQUEST authorizer (an HTTP authorizerUri) answered from its result cache:
#            the first request calls the authorizer, every later one is a cache hit (TTL 300 s)
#   jwt      HTTP API GET /jwt, a JWT authorizer: RS256 signature and claims verified on every request (the JWKS
#            is fetched once, from the demo issuer's discovery document)
#   rest     REST API GET /open, MOCK (the REST baseline)
#   keyed    REST API GET /keyed, apiKeyRequired: the key's SHA-256 looked up, its usage plan's token bucket and
#            quota counter (in memory: single node) updated on every request
#
#   Benchmarks/scripts/security-steps.sh
#   ROUNDS=5 DURATION=20 Benchmarks/scripts/security-steps.sh
#   SWITCHBOARD_BIN=.build/release/switchboard Benchmarks/scripts/security-steps.sh
#
# Load: wrk -t1 -cCONNECTIONS, keep-alive, closed loop; each target ROUNDS times in rotating order; the table gives
# medians of requests/s, p50 and p99, and the step's cost per request in microseconds of the server's time
# (1e6/rps(step) - 1e6/rps(baseline of the same API type), with the server pinned to one core). The account
# throttle and the plan's limits are raised so that nothing is throttled. The authorizer and the JWT issuer are
# scripts/demo-auth-backend.py (Python, from .venv: run scripts/install-deps.sh --test once).
#
# Environment (defaults): ROUNDS (3), DURATION (10), WARMUP (2), CONNECTIONS (32), SB_PORT (18090), AUTH_PORT
# (18091), SWITCHBOARD_BIN, SKIP_BUILD (0), PIN (1), WAIT_QUIET (60), OUT (.build-bench/results/security-DATE).
set -euo pipefail
cd "$(dirname "$0")/../.."
source Benchmarks/scripts/common.sh

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CONNECTIONS=${CONNECTIONS:-32}
SB_PORT=${SB_PORT:-18090}
AUTH_PORT=${AUTH_PORT:-18091}
OUT=${OUT:-$SCRATCH/results/security-$(date +%Y%m%d-%H%M%S)}
PYTHON=${PYTHON:-.venv/bin/python}
mkdir -p "$OUT"

if ! command -v wrk >/dev/null; then
    SUDO=""
    [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null && SUDO=sudo
    echo "== installing wrk (apt-get)"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi
[[ -x "$PYTHON" ]] && "$PYTHON" -c 'import jwt, cryptography' 2>/dev/null \
    || { echo "no PyJWT in $PYTHON: run scripts/install-deps.sh --test first" >&2; exit 1; }
if [[ -z "${SWITCHBOARD_BIN:-}" ]]; then
    build_products switchboard
    SWITCHBOARD_BIN=$BIN/switchboard
fi
describe_machine
trap stop_all EXIT

"${LOAD_CPU[@]}" "$PYTHON" scripts/demo-auth-backend.py "$AUTH_PORT" >"$OUT/auth.log" 2>&1 &
PIDS+=($!)
KEY=bench-key-0123456789abcdefghij
cat >"$OUT/switchboard.yaml" <<YAML
server: { listen: 127.0.0.1:$SB_PORT }
throttle: { rateLimit: 1000000000, burstLimit: 1000000000 }
apiKeys: [ { name: bench, value: "$KEY" } ]
usagePlans:
  - { name: bench, apiStages: [ { api: rest, stage: dev } ], apiKeys: [ bench ],
      throttle: { rateLimit: 1000000000, burstLimit: 1000000000 }, quota: { limit: 1000000000, period: DAY } }
apis:
  - id: http
    protocolType: HTTP
    stages: [ { name: \$default } ]
    authorizers:
      lambda: { authorizerType: REQUEST, authorizerUri: "http://127.0.0.1:$AUTH_PORT/authorize",
                identitySource: [\$request.header.Authorization], authorizerPayloadFormatVersion: "1.0",
                authorizerResultTtlInSeconds: 300 }
      jwt: { authorizerType: JWT, identitySource: [\$request.header.Authorization],
             jwtConfiguration: { issuer: "http://127.0.0.1:$AUTH_PORT", audience: [my-app] } }
    routes:
      GET /open: { integration: { type: MOCK, requestTemplates: { \$default: '{"statusCode": 200}' } } }
      GET /lambda: { authorizationType: CUSTOM, authorizerId: lambda,
                     integration: { type: MOCK, requestTemplates: { \$default: '{"statusCode": 200}' } } }
      GET /jwt: { authorizationType: JWT, authorizerId: jwt,
                  integration: { type: MOCK, requestTemplates: { \$default: '{"statusCode": 200}' } } }
  - id: rest
    protocolType: REST
    stages: [ { name: dev } ]
    resources:
      /open: { GET: { integration: { type: MOCK, requestTemplates: { application/json: '{"statusCode": 200}' },
                                     integrationResponses: [ { statusCode: "200" } ] } } }
      /keyed: { GET: { apiKeyRequired: true,
                       integration: { type: MOCK, requestTemplates: { application/json: '{"statusCode": 200}' },
                                      integrationResponses: [ { statusCode: "200" } ] } } }
domains:
  - domainName: "*"
    mappings: [ { apiMappingKey: http, api: http, stage: \$default }, { apiMappingKey: rest, api: rest, stage: dev } ]
YAML
start_server "$OUT/switchboard.log" "$SWITCHBOARD_BIN" serve --config "$OUT/switchboard.yaml" --log-level warning
SB_PID=$STARTED_PID
wait_ready "$SB_PORT" /_switchboard/health "$SB_PID" "$OUT/switchboard.log"
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$AUTH_PORT/jwks.json" && break; sleep 0.1; done
TOKEN=$(curl -s "http://127.0.0.1:$AUTH_PORT/token?sub=bench" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["token"])')

targets=(open lambda jwt rest keyed)
path_of() { case $1 in open) echo /http/open ;; lambda) echo /http/lambda ;; jwt) echo /http/jwt ;; rest) echo /rest/open ;; keyed) echo /rest/keyed ;; esac; }
header_of() {
    case $1 in lambda) echo "Authorization: Bearer letmein" ;; jwt) echo "Authorization: Bearer $TOKEN" ;;
        keyed) echo "x-api-key: $KEY" ;; *) echo "X-Bench: 1" ;; esac
}
for target in "${targets[@]}"; do
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "$(header_of "$target")" "http://127.0.0.1:$SB_PORT$(path_of "$target")")
    [[ "$status" == 200 ]] || { echo "$target answered $status, not 200" >&2; cat "$OUT/switchboard.log" >&2; exit 1; }
done
echo "== every target answers 200; $ROUNDS rounds × ${DURATION} s, wrk -t1 -c$CONNECTIONS"

for round in $(seq 1 "$ROUNDS"); do
    for index in "${!targets[@]}"; do
        target=${targets[$(((index + round - 1) % ${#targets[@]}))]}
        url="http://127.0.0.1:$SB_PORT$(path_of "$target")"
        wait_quiet
        ((WARMUP > 0)) && "${LOAD_CPU[@]}" wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -H "$(header_of "$target")" "$url" >/dev/null 2>&1
        "${LOAD_CPU[@]}" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "$(header_of "$target")" "$url" \
            >"$OUT/$target-$round.wrk" 2>&1
        echo "   round $round $target: $(grep Requests/sec "$OUT/$target-$round.wrk" | awk '{print $2}') req/s"
    done
done

python3 - "$OUT" "$ROUNDS" "${targets[@]}" <<'PY'
import json, re, statistics, sys
out, rounds, targets = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def micros(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 1, "ms": 1e3, "s": 1e6}[unit]
rows = {}
for target in targets:
    rps, p50, p99, errors = [], [], [], 0
    for r in range(1, rounds + 1):
        text = open("%s/%s-%d.wrk" % (out, target, r)).read()
        rps.append(float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)))
        p50.append(micros(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1)))
        p99.append(micros(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1)))
        m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
        errors += int(m.group(1)) if m else 0
    rows[target] = {"rps": statistics.median(rps), "p50_us": statistics.median(p50),
                    "p99_us": statistics.median(p99), "non2xx": errors}
base = {"open": "open", "lambda": "open", "jwt": "open", "rest": "rest", "keyed": "rest"}
print("\n| target | step | req/s | p50 | p99 | cost per request | non-2xx |")
print("|---|---|---|---|---|---|---|")
names = {"open": "none (HTTP API)", "lambda": "Lambda authorizer, cache hit", "jwt": "JWT verification (RS256)",
         "rest": "none (REST API)", "keyed": "API key + usage plan (throttle, quota)"}
for target in targets:
    row = rows[target]
    b = rows[base[target]]
    cost = 1e6 / row["rps"] - 1e6 / b["rps"]
    row["cost_us"] = cost
    print("| %s | %s | %.0f | %.0f µs | %.0f µs | %s | %d |" % (target, names[target], row["rps"], row["p50_us"],
          row["p99_us"], "—" if target == base[target] else "%+.1f µs (%.1f%% of req/s)" % (cost, 100 * (1 - row["rps"] / b["rps"])), row["non2xx"]))
json.dump(rows, open(out + "/summary.json", "w"), indent=2)
print("\nwrk output, config and logs: " + out)
PY
