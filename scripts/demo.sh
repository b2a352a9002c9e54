#!/usr/bin/env bash
# One command from a fresh clone to a running fleet: bootstrap, then Redis + API + 2 workers,
# sample logos converted through the API, and where to look printed. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec node scripts/demo.mjs "$@"
