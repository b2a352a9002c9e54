#!/usr/bin/env bash
# Installs what a fresh machine lacks: pnpm (through corepack, pinned by package.json's
# packageManager), Debian packages, the workspace's packages, and builds everything.
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

# Debian packages the project starts or reads with: Redis (+ Sentinel for the HA tests), Chromium for the
# browser tests (playwright-core drives it, no browser download), poppler and Ghostscript as independent
# readers of the PDF/EPS outputs. Only what is missing is installed, in one apt run.
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v redis-sentinel >/dev/null 2>&1 || need+=(redis-sentinel)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v gs >/dev/null 2>&1 || need+=(ghostscript)
if [ "${#need[@]}" -gt 0 ] && [ "${SKIP_APT:-0}" != "1" ]; then
  echo "› installing Debian packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
  # The packaged services are not used: the project starts its own servers.
  (command -v systemctl >/dev/null && $SUDO systemctl disable --now redis-server redis-sentinel >/dev/null 2>&1) || true
fi

if [ "${SKIP_INSTALL:-0}" != "1" ]; then
  echo "› installing packages"
  pnpm install --frozen-lockfile --reporter=silent
fi
echo "› building"
pnpm build --output-logs=errors-only >/dev/null
