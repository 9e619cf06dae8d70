#!/usr/bin/env bash
# The main job: prepares the host (idempotent), then runs the whole shipkit flow on the example stack
# (scripts/demo.mjs): lint → build & push → stack up → smoke → deploy → promote under load →
# rollback → teardown, with a local registry and a local Slack-compatible receiver.
# `scripts/demo.sh --swarm` runs stack and smoke on a local three-node Swarm instead (scripts/demo-swarm.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/as-root.sh
source scripts/lib/as-root.sh
as_root "$@"
bash scripts/setup-host.sh
if [[ ! -d node_modules ]]; then npm ci --no-audit --no-fund; fi
# --swarm [--lb nginx]: the same flow on a local three-node Docker Swarm (scripts/demo-swarm.mjs, docs/swarm.md).
if [[ ${1:-} == --swarm ]]; then
  shift
  exec node scripts/demo-swarm.mjs "$@"
fi
exec node scripts/demo.mjs "$@"
