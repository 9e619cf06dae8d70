#!/bin/sh
# STAND-IN, not gitlab-runner: called as the official gitlab/gitlab-runner image is (its entrypoint
# runs `gitlab-runner "$@"`, so the command starts with `run-single`), it checks the command as
# run-single would (known flags only; URL, token and executor from a flag or its variable, else the
# same fatal "Missing …" errors) and idles. Any other command runs as given (the actions-runner stand-in).
set -eu
idle() {
  trap 'echo "stand-in: stopped by signal"; exit 0' TERM INT
  while [ ! -e /tmp/stop ]; do sleep 0.2; done
  echo "stand-in: told to stop"
}
if [ "${1:-}" = "run-single" ]; then
  args="$*"
  shift
  url=${CI_SERVER_URL:-}
  token=${CI_SERVER_TOKEN:-}
  from=CI_SERVER_TOKEN
  executor=${RUNNER_EXECUTOR:-}
  while [ $# -gt 0 ]; do
    case "$1" in
      --url) url=$2; shift 2 ;;
      --token) token=$2; from=--token; shift 2 ;;
      --executor) executor=$2; shift 2 ;;
      --max-builds | --wait-timeout | --limit)
        case "${2:-}" in '' | *[!0-9]*) echo "gitlab-runner stand-in: $1 takes an integer" >&2; exit 1 ;; esac
        shift 2 ;;
      --name | --docker-image | --docker-volumes | --docker-extra-hosts | --config | --runner) shift 2 ;;
      --docker-privileged) shift ;;
      *) echo "gitlab-runner stand-in: flag provided but not defined: $1" >&2; exit 1 ;;
    esac
  done
  [ -n "$url" ] || { echo "gitlab-runner stand-in: FATAL: Missing URL" >&2; exit 1; }
  [ -n "$token" ] || { echo "gitlab-runner stand-in: FATAL: Missing Token" >&2; exit 1; }
  [ -n "$executor" ] || { echo "gitlab-runner stand-in: FATAL: Missing Executor" >&2; exit 1; }
  echo "gitlab-runner stand-in: token from ${from} (${#token} chars), url ${url}, executor ${executor}, name ${RUNNER_NAME:-?}, args: ${args}"
  idle
  exit 0
fi
exec "$@"
