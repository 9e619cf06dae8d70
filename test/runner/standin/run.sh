#!/bin/sh
# actions/runner stand-in: `run.sh` takes --jitconfig from ACTIONS_RUNNER_INPUT_JITCONFIG.
set -eu
if [ -z "${ACTIONS_RUNNER_INPUT_JITCONFIG:-}" ]; then echo "actions-runner stand-in: no JIT config" >&2; exit 3; fi
agent=$(printf '%s' "$ACTIONS_RUNNER_INPUT_JITCONFIG" | base64 -d | sed -n 's/.*"agentName":"\([^"]*\)".*/\1/p')
echo "actions-runner stand-in: jitconfig from ACTIONS_RUNNER_INPUT_JITCONFIG (${#ACTIONS_RUNNER_INPUT_JITCONFIG} chars) for runner ${agent}"
trap 'echo "stand-in: stopped by signal"; exit 0' TERM INT
while [ ! -e /tmp/stop ]; do sleep 0.2; done
echo "stand-in: told to stop"
