#!/usr/bin/env bash
# System packages the test suite needs (Debian): a headless browser for the pages and a
# second SPARQL server for the remote-store tests. Idempotent; needs root (or sudo).
set -euo pipefail
PACKAGES=(
  chromium                  # headless browser for the page tests (tests/test_server.py, tests/test_viz.py)
  fonts-wqy-microhei        # a CJK font, so pages and their screenshots show Chinese names, not boxes
  virtuoso-opensource-7-bin # Virtuoso, a second SPARQL server for tests/test_remote.py (no service, no prompts)
)
[ ${#PACKAGES[@]} -eq 0 ] && exit 0
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
