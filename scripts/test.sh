#!/usr/bin/env bash
# One command from a fresh clone to a passing test suite: bootstrap, lint, then every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export COREPACK_INTEGRITY_KEYS=0 TURBO_TELEMETRY_DISABLED=1
echo "› lint (eslint + prettier --check)"
pnpm lint
exec node scripts/run-tests.mjs "$@"
