#!/usr/bin/env bash
# Demo of `shipkit notify`: starts the local Slack receiver, then walks one deploy message through
# started → built → smoke passed → awaiting promotion → promoted, updating it in place with details
# as thread replies, exactly as separate CI jobs would (each run only gets the previous outputs).
#   bash scripts/notify-demo.sh [port]     (default 15300; needs `npm run build` first)
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-15300}"
work="$(mktemp -d)"
node scripts/slack-receiver.mjs --port "$port" >"$work/receiver.log" 2>&1 &
receiver=$!
trap 'kill "$receiver" 2>/dev/null || true; cat "$work/receiver.log"; rm -rf "$work"' EXIT
for _ in $(seq 50); do grep -q listening "$work/receiver.log" && break; sleep 0.1; done

export SHIPKIT_OUTPUT="$work/outputs" SHIPKIT_SHA="$(git rev-parse HEAD 2>/dev/null || echo 0000000)"
export SHIPKIT_BRANCH="$(git rev-parse --abbrev-ref HEAD 2>/dev/null || echo main)"
export SHIPKIT_COMMIT_TITLE="$(git log -1 --format=%s 2>/dev/null || echo demo)"
common=(--token xoxb-demo-0000 --slack-api-url "http://127.0.0.1:$port/api" --environment production
  --environment-url https://shop.example.com --version-before 1.3.9 --version-after 1.4.0)
out() { grep "^$1=" "$SHIPKIT_OUTPUT" | tail -1 | cut -d= -f2-; }

node dist/cli/index.js notify "${common[@]}" --channel '#deploys' --event started --details 'pipeline started'
ts="$(out ts)" channel="$(out channel_id)"
for event in built smoke-passed awaiting-promotion promoted; do
  node dist/cli/index.js notify "${common[@]}" --channel-id "$channel" --ts "$ts" --event "$event" \
    --details "step $event: done" --duration 95s
done
echo "message $ts in $channel updated in place; receiver saw:"
