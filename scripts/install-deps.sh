#!/usr/bin/env bash
# Installs what Switchboard needs and is missing: system packages (Debian/Ubuntu, via apt-get) and, with
# --test, the pinned Python test clients in .venv. Idempotent: does nothing that is already done.
set -euo pipefail
cd "$(dirname "$0")/.."
WITH_TESTS=0
[ "${1:-}" = "--test" ] && WITH_TESTS=1

if ! command -v swift >/dev/null 2>&1; then
  echo "Swift 6.1 or newer is required (https://www.swift.org/install/linux/): 'swift' is not on PATH." >&2
  exit 1
fi

SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO=sudo
PACKAGES="libssl-dev zlib1g-dev libhiredis-dev redis-server curl python3 python3-venv"
MISSING=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || MISSING="$MISSING $p"
done
# python3 and venv may come from elsewhere (pyenv): only ask apt for them when they are really absent.
if command -v python3 >/dev/null 2>&1 && python3 -c "import venv, ensurepip" >/dev/null 2>&1; then
  MISSING=$(echo "$MISSING" | sed -e 's/ python3-venv//' -e 's/ python3\b//')
fi
if [ -n "${MISSING// }" ]; then
  echo "installing system packages:$MISSING"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $MISSING >/dev/null
fi

if [ "$WITH_TESTS" = 1 ]; then
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
  STAMP=.venv/.requirements.sha
  WANT=$(sha256sum Tests/e2e/requirements.txt | cut -d' ' -f1)
  if [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
    .venv/bin/python -m pip install -q --upgrade pip >/dev/null
    .venv/bin/python -m pip install -q -r Tests/e2e/requirements.txt
    echo "$WANT" > "$STAMP"
  fi
fi
