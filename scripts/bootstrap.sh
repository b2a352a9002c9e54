#!/usr/bin/env bash
# Installs what a fresh machine lacks: pnpm (through corepack, pinned by package.json's
# packageManager), redis-server (Debian), the workspace's packages, and builds everything.
set -euo pipefail
cd "$(dirname "$0")/.."

# corepack's signature check fails on some machines; the version is pinned in package.json anyway.
export COREPACK_INTEGRITY_KEYS=0 COREPACK_ENABLE_DOWNLOAD_PROMPT=0 TURBO_TELEMETRY_DISABLED=1
if ! pnpm --version >/dev/null 2>&1; then
  echo "› setting up pnpm via corepack"
  corepack enable >/dev/null 2>&1 || true
  if ! pnpm --version >/dev/null 2>&1; then
    echo "› corepack could not provide pnpm; installing pnpm@10 with npm"
    npm i -g pnpm@10 >/dev/null
  fi
fi

if ! command -v redis-server >/dev/null 2>&1; then
  echo "› installing redis-server (Debian package)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
  # The packaged service is not used: the project starts its own servers.
  (command -v systemctl >/dev/null && $SUDO systemctl disable --now redis-server >/dev/null 2>&1) || true
fi

# The dashboard test drives Debian's Chromium with playwright-core (no browser download).
if [ ! -x /usr/bin/chromium ]; then
  echo "› installing chromium (Debian package, for the dashboard test)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

if [ "${SKIP_INSTALL:-0}" != "1" ]; then
  echo "› installing packages"
  pnpm install --frozen-lockfile --reporter=silent
fi
echo "› building"
pnpm build --output-logs=errors-only >/dev/null
