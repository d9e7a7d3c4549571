#!/usr/bin/env bash
# Runs Autobahn|Testsuite (wstest -m fuzzingclient) against Switchboard's echo API.
#   scripts/autobahn.sh [CASES] [--strict]     CASES: a comma list of case patterns (default: every case "*")
# Environment: SWITCHBOARD_BIN (default .build/release/switchboard, else .build/debug/switchboard),
#   AUTOBAHN_VENV (default .autobahn-venv), AUTOBAHN_PORT (default 9001), AUTOBAHN_DEFLATE_MODE.
# Prints the summary; its last line is "N passed, N failed"; exits non-zero when a case fails.
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${1:-*}
STRICT=${2:-}
SHARED=${SHARED_DIR:-../shared}
VENV=${AUTOBAHN_VENV:-.autobahn-venv}
export AUTOBAHN_PORT=${AUTOBAHN_PORT:-9001}
BIN=${SWITCHBOARD_BIN:-}
if [ -z "$BIN" ]; then
  if [ -x .build/release/switchboard ]; then BIN=.build/release/switchboard; else BIN=.build/debug/switchboard; fi
fi
[ -x "$VENV/bin/wstest" ] || bash "$SHARED/conformance/autobahn/setup.sh" "$VENV" >/dev/null
OUT=$(mktemp -d)
"$BIN" serve --config Tests/conformance/autobahn.yaml --log-level warning >"$OUT/gateway.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$AUTOBAHN_PORT/_switchboard/health" >/dev/null && break
  kill -0 $PID 2>/dev/null || { echo "gateway exited:"; cat "$OUT/gateway.log"; exit 1; }
  sleep 0.1
done
python3 - "$CASES" "$OUT" <<'PY'
import json, sys
cases = [c.strip() for c in sys.argv[1].split(",") if c.strip()]
spec = {"outdir": sys.argv[2] + "/reports/servers", "options": {"failByDrop": False},
        "servers": [{"agent": "switchboard", "url": "ws://127.0.0.1:%s/dev" % __import__("os").environ["AUTOBAHN_PORT"]}],
        "cases": cases, "exclude-cases": [], "exclude-agent-cases": {}}
json.dump(spec, open(sys.argv[2] + "/fuzzingclient.json", "w"))
PY
START=$(date +%s)
(cd "$OUT" && "$OLDPWD/$VENV/bin/wstest" -m fuzzingclient -s fuzzingclient.json >wstest.log 2>&1) || {
  echo "wstest failed:"; tail -20 "$OUT/wstest.log"; exit 1; }
echo "autobahn: cases '$CASES' ran in $(( $(date +%s) - START ))s (reports in $OUT/reports)"
mkdir -p reports && rm -rf reports/autobahn && cp -r "$OUT/reports" reports/autobahn
python3 "$SHARED/conformance/autobahn/summary.py" "$OUT/reports/servers/index.json" $STRICT
