#!/usr/bin/env bash
# The main job: until the full pipeline demo lands, lint the bundled example stack.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-host.sh
if [[ ! -d node_modules ]]; then npm ci --no-audit --no-fund; fi
node dist/cli/index.js lint examples
