#!/usr/bin/env bash
# Idempotent host set-up for shipkit's tests, CI and the demo.
# On Debian/Ubuntu as root: installs what is missing, starts dockerd and a local
# htpasswd-protected registry, and builds the local base image (cached by package list).
# Elsewhere: prints what is missing and how to get it, and exits non-zero.
#
# Environment (all optional):
#   SHIPKIT_BASE_IMAGE      tag of the local base image      (default shipkit/base:bookworm)
#   SHIPKIT_REGISTRY_PORT   port of the local registry        (default 5000)
#   SHIPKIT_REGISTRY_USER / SHIPKIT_REGISTRY_PASSWORD        (default shipkit / shipkit-local-pw)
#   SHIPKIT_STATE_DIR       where set-up keeps its files     (default /var/lib/shipkit-dev)
set -euo pipefail

BASE_IMAGE=${SHIPKIT_BASE_IMAGE:-shipkit/base:bookworm}
REG_PORT=${SHIPKIT_REGISTRY_PORT:-5000}
REG_USER=${SHIPKIT_REGISTRY_USER:-shipkit}
REG_PASS=${SHIPKIT_REGISTRY_PASSWORD:-shipkit-local-pw}
STATE_DIR=${SHIPKIT_STATE_DIR:-/var/lib/shipkit-dev}
# Packages baked into the base image. Changing this list rebuilds the image.
BASE_PACKAGES=nginx-light,haproxy,nodejs,curl,wget,ca-certificates,procps
APT_PACKAGES=(docker.io docker-compose docker-registry shellcheck nginx-light haproxy mmdebstrap rsync
  apache2-utils wrk openssl iproute2 git groovy openssh-client)
# Binaries that prove each package above is present (same order).
APT_BINARIES=(dockerd docker-compose docker-registry shellcheck nginx haproxy mmdebstrap rsync
  htpasswd wrk openssl ip git groovyc ssh)

# shellcheck source=scripts/lib/as-root.sh
source "$(dirname "$0")/lib/as-root.sh"

log() { printf '[setup] %s\n' "$*" >&2; }

missing_packages() {
  local i out=()
  for i in "${!APT_PACKAGES[@]}"; do
    command -v "${APT_BINARIES[$i]}" >/dev/null 2>&1 || [[ -x /usr/sbin/${APT_BINARIES[$i]} ]] || out+=("${APT_PACKAGES[$i]}")
  done
  printf '%s\n' "${out[@]}"
}

install_packages() {
  mapfile -t need < <(missing_packages | sed '/^$/d')
  ((${#need[@]})) || return 0
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    log "missing: ${need[*]}"
    log "install them with your package manager (Debian/Ubuntu: sudo apt-get install -y ${need[*]}) and run again"
    exit 1
  fi
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}

start_dockerd() {
  if docker info >/dev/null 2>&1; then return 0; fi
  log "starting dockerd"
  mkdir -p "$STATE_DIR"
  (setsid dockerd >"$STATE_DIR/dockerd.log" 2>&1 &)
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  log "dockerd did not start; last lines of $STATE_DIR/dockerd.log:"
  tail -n 20 "$STATE_DIR/dockerd.log" >&2
  exit 1
}

start_registry() {
  local dir=$STATE_DIR/registry
  mkdir -p "$dir/data"
  if [[ ! -s $dir/htpasswd ]] || ! htpasswd -vb "$dir/htpasswd" "$REG_USER" "$REG_PASS" >/dev/null 2>&1; then
    htpasswd -Bbc "$dir/htpasswd" "$REG_USER" "$REG_PASS" >/dev/null 2>&1
  fi
  cat >"$dir/config.yml" <<CFG
version: 0.1
log: { level: warn }
storage:
  filesystem: { rootdirectory: $dir/data }
  delete: { enabled: true }
http:
  addr: 127.0.0.1:$REG_PORT
auth:
  htpasswd: { realm: shipkit-local, path: $dir/htpasswd }
CFG
  if curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$REG_PORT/v2/" 2>/dev/null | grep -q 401; then
    return 0
  fi
  log "starting docker-registry on 127.0.0.1:$REG_PORT"
  (setsid docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &)
  for _ in $(seq 1 40); do
    curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$REG_PORT/v2/" 2>/dev/null | grep -q 401 && return 0
    sleep 0.25
  done
  log "registry did not start; see $dir/registry.log"
  tail -n 20 "$dir/registry.log" >&2
  exit 1
}

build_base_image() {
  local want have tar
  want=$(printf '%s' "$BASE_PACKAGES" | sha256sum | cut -c1-16)
  have=$(docker image inspect -f '{{ index .Config.Labels "dev.shipkit.packages" }}' "$BASE_IMAGE" 2>/dev/null || true)
  [[ $have == "$want" ]] && return 0
  log "building base image $BASE_IMAGE ($BASE_PACKAGES)"
  tar=$(mktemp --suffix=.tar)
  mmdebstrap --quiet --variant=minbase --include="$BASE_PACKAGES" \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/usr/share/doc/* "$1"/usr/share/man/*' \
    bookworm "$tar"
  docker import --change "LABEL dev.shipkit.packages=$want" --change 'CMD ["/bin/bash"]' "$tar" "$BASE_IMAGE" >/dev/null
  rm -f "$tar"
}

main() {
  as_root "$@"
  install_packages
  start_dockerd
  start_registry
  build_base_image
  # Shared facts for tests and the demo, in a form both bash and node can read.
  cat >"$STATE_DIR/env" <<ENV
SHIPKIT_BASE_IMAGE=$BASE_IMAGE
SHIPKIT_REGISTRY=127.0.0.1:$REG_PORT
SHIPKIT_REGISTRY_USER=$REG_USER
SHIPKIT_REGISTRY_PASSWORD=$REG_PASS
ENV
  log "ready: dockerd, registry 127.0.0.1:$REG_PORT ($REG_USER), base image $BASE_IMAGE"
}

main "$@"
