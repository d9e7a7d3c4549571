#!/usr/bin/env bash
# Installs what is missing and runs every test: Swift unit and live tests, end-to-end tests with real
# clients (python websockets, boto3, the AWS CLI), and Autobahn|Testsuite cases 1.* to 10.* plus the
# permessage-deflate groups 12.1.* and 13.1.* (the whole suite: scripts/autobahn.sh, about 16 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
START=$(date +%s)
bash scripts/install-deps.sh --test
bash scripts/soundness.sh

echo "== swift build"
swift build --build-tests
echo "== swift test"
swift test --skip-build 2>&1 | tee /tmp/switchboard-swift-test.log | grep -E "^(✘|✔ Test run|error)|Test run with" || true
grep -q "Test run with .* passed" /tmp/switchboard-swift-test.log || { tail -50 /tmp/switchboard-swift-test.log; exit 1; }

echo "== autobahn (1.* to 10.*, and the permessage-deflate groups 12.1.* and 13.1.*)"
SWITCHBOARD_BIN=.build/debug/switchboard AUTOBAHN_VENV=${AUTOBAHN_VENV:-.autobahn-venv} \
  bash scripts/autobahn.sh "1.*,2.*,3.*,4.*,5.*,6.*,7.*,9.*,10.*,12.1.*,13.1.*"

echo "== end-to-end (pytest)"
PATH="$PWD/.venv/bin:$PATH" SWITCHBOARD_BIN=.build/debug/switchboard .venv/bin/python -m pytest -q -p no:cacheprovider Tests/e2e
echo "all tests passed in $(( $(date +%s) - START ))s"
