#!/usr/bin/env bash
# Quick start: installs what is missing, builds, and runs the gateway on the default config
# (Config/switchboard.yaml: a chat demo that needs no backend). Ctrl-C stops it gracefully.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release --product switchboard
exec .build/release/switchboard serve --config "${1:-Config/switchboard.yaml}"
