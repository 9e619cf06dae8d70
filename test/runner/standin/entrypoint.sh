#!/bin/sh
# gitlab-runner stand-in when called as the official image is (`run-single …`); else run the command.
set -eu
idle() {
  trap 'echo "stand-in: stopped by signal"; exit 0' TERM INT
  while [ ! -e /tmp/stop ]; do sleep 0.2; done
  echo "stand-in: told to stop"
}
if [ "${1:-}" = "run-single" ]; then
  if [ -z "${CI_SERVER_TOKEN:-}" ]; then echo "gitlab-runner stand-in: no CI_SERVER_TOKEN" >&2; exit 3; fi
  echo "gitlab-runner stand-in: token from CI_SERVER_TOKEN (${#CI_SERVER_TOKEN} chars), url ${CI_SERVER_URL:-?}, executor ${RUNNER_EXECUTOR:-?}, name ${RUNNER_NAME:-?}, args: $*"
  idle
  exit 0
fi
exec "$@"
