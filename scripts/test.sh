#!/usr/bin/env bash
# The test command: prepares the host (idempotent), installs dependencies if needed, runs every test
# (unit, then integration against the real Docker engine, registry, nginx, HAProxy and ShellCheck).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/as-root.sh
source scripts/lib/as-root.sh
as_root "$@"
bash scripts/setup-host.sh
if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then npm ci --no-audit --no-fund; fi
npm test
