#!/usr/bin/env bash
# A real multi-node Docker Swarm on one host, for tests, benchmarks and the demo: each node is a dockerd in a
# container (Docker-in-Docker without --privileged, see docs/swarm.md), on a user bridge with a fixed subnet and
# a fixed address per node, each with its own named volume for /var/lib/docker.
#
#   scripts/swarm-rig.sh up [IMAGE...]     build/reuse the node image, start the nodes, init the swarm, load IMAGEs
#   scripts/swarm-rig.sh load IMAGE...     copy host images into every running node (skips nodes that have them)
#   scripts/swarm-rig.sh status            nodes, swarm membership, memory
#   scripts/swarm-rig.sh env               prints DOCKER_HOST=tcp://<manager>:2375 (eval it to talk to the swarm)
#   scripts/swarm-rig.sh stop-node N | start-node N    fault drills (docker stop / start of node N)
#   scripts/swarm-rig.sh down              removes nodes, volumes and the network: nothing is left
#
# Each inner dockerd listens on its unix socket and on tcp://<node-ip>:2375, reachable only from the host and
# the rig's own bridge; `DOCKER_HOST=tcp://<node-ip>:2375 docker …` is how shipkit (and its tests) talk to a node.
#
# Environment (all optional):
#   SWARM_RIG_PREFIX      name prefix of nodes, volumes and network   (default shipkit-swarm)
#   SWARM_RIG_SUBNET      first three octets of the rig's /24         (default 10.231.0)
#   SWARM_RIG_NODES       number of nodes                             (default 3)
#   SWARM_RIG_MANAGERS    how many of them are managers (1 or 3 …)    (default 1)
#   SWARM_RIG_NODE_IMAGE  tag of the node image                       (default shipkit/swarm-node:bookworm-ssh)
# Node i (1-based) is <prefix>-node<i> at <subnet>.<10+i>; node 1 always manages (it inits the swarm).
set -euo pipefail
# The nodes run on the host's engine, whatever DOCKER_HOST a caller exported to talk to the swarm.
unset DOCKER_HOST DOCKER_CONTEXT

PREFIX=${SWARM_RIG_PREFIX:-shipkit-swarm}
SUBNET=${SWARM_RIG_SUBNET:-10.231.0}
NODES=${SWARM_RIG_NODES:-3}
MANAGERS=${SWARM_RIG_MANAGERS:-1}
NODE_IMAGE=${SWARM_RIG_NODE_IMAGE:-shipkit/swarm-node:bookworm-ssh}
# Packages baked into the node image. Changing this list rebuilds it. openssh-server: tests of
# DOCKER_HOST=ssh:// start an sshd in a node (nothing starts it otherwise).
NODE_PACKAGES=docker.io,iptables,iproute2,ca-certificates,procps,curl,openssh-server
NET=$PREFIX-net
LABEL=dev.shipkit.swarm-rig=$PREFIX
PORT=2375

log() { printf '[swarm-rig] %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 1
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

[[ $PREFIX =~ ^[a-z0-9][a-z0-9-]{0,30}$ ]] || die "SWARM_RIG_PREFIX must be lower-case letters, digits and '-' (got '$PREFIX')"
[[ $SUBNET =~ ^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$ ]] || die "SWARM_RIG_SUBNET must be three octets like 10.231.0 (got '$SUBNET')"
[[ $NODES =~ ^[1-9]$ ]] || die "SWARM_RIG_NODES must be 1-9 (got '$NODES')"
[[ $MANAGERS =~ ^[1-9]$ && $MANAGERS -le $NODES ]] || die "SWARM_RIG_MANAGERS must be 1-$NODES (got '$MANAGERS')"

node_name() { printf '%s-node%d' "$PREFIX" "$1"; }
node_ip() { printf '%s.%d' "$SUBNET" $((10 + $1)); }
# docker against node i, through its tcp listener (what users do with DOCKER_HOST)
ndocker() {
  local i=$1
  shift
  DOCKER_HOST=tcp://$(node_ip "$i"):$PORT docker "$@"
}

build_node_image() {
  local want have tar
  want=$(printf '%s' "$NODE_PACKAGES" | sha256sum | cut -c1-16)
  have=$(docker image inspect -f '{{ index .Config.Labels "dev.shipkit.packages" }}' "$NODE_IMAGE" 2>/dev/null || true)
  [[ $have == "$want" ]] && return 0
  command -v mmdebstrap >/dev/null || die "mmdebstrap is missing: run scripts/setup-host.sh"
  log "building node image $NODE_IMAGE ($NODE_PACKAGES)"
  tar=$(mktemp --suffix=.tar)
  # shellcheck disable=SC2064 # expand now: the path is fixed
  trap "rm -f '$tar'" EXIT
  # shellcheck disable=SC2016 # $1 is expanded by mmdebstrap's hook, not here
  mmdebstrap --quiet --variant=minbase --include="$NODE_PACKAGES" \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/usr/share/doc/* "$1"/usr/share/man/*' \
    bookworm "$tar"
  docker import --change "LABEL dev.shipkit.packages=$want" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    "$tar" "$NODE_IMAGE" >/dev/null
  rm -f "$tar"
  trap - EXIT
}

# The node's PID-1 command. Without --privileged /sys and the cgroup v1 mounts are read-only: make them
# writable (a plain remount of a cgroup says "busy"; a bind remount works), drop a stale pid file so a stopped
# node starts again, then run dockerd. --tls=false is explicit so dockerd does not pause to warn about TCP.
node_entry() {
  local ip=$1
  cat <<SH
set -e
mount -o remount,rw /sys
for d in /sys/fs/cgroup/*/; do mount -o remount,bind,rw "\$d" 2>/dev/null || true; done
rm -f /var/run/docker.pid
exec dockerd --host unix:///var/run/docker.sock --host tcp://$ip:$PORT --tls=false --storage-driver overlay2 \
  >/var/log/dockerd.log 2>&1
SH
}

start_network() {
  docker network inspect "$NET" >/dev/null 2>&1 && return 0
  docker network create --label "$LABEL" --subnet "$SUBNET.0/24" --gateway "$SUBNET.1" "$NET" >/dev/null ||
    die "cannot create $NET on $SUBNET.0/24 (another rig or network there? pick another SWARM_RIG_SUBNET)"
}

start_node() {
  local i=$1 name ip
  name=$(node_name "$i")
  ip=$(node_ip "$i")
  docker network inspect "$NET" >/dev/null 2>&1 || die "no rig $PREFIX here: run '$0 up' first"
  if docker container inspect "$name" >/dev/null 2>&1; then
    docker start "$name" >/dev/null
    return 0
  fi
  # The rights of --privileged spelled out, minus CAP_SYS_RESOURCE, which this host does not grant.
  docker run -d --name "$name" --hostname "$name" --label "$LABEL" \
    --network "$NET" --ip "$ip" -v "$name:/var/lib/docker" \
    --cap-add ALL --cap-drop SYS_RESOURCE --security-opt seccomp=unconfined --security-opt apparmor=unconfined \
    --security-opt systempaths=unconfined --device-cgroup-rule 'a *:* rwm' --init --tmpfs /run \
    "$NODE_IMAGE" bash -c "$(node_entry "$ip")" >/dev/null
}

wait_node() {
  local i=$1
  for _ in $(seq 1 120); do
    ndocker "$i" info >/dev/null 2>&1 && return 0
    if [[ $(docker container inspect -f '{{.State.Running}}' "$(node_name "$i")" 2>/dev/null) != true ]]; then
      docker exec "$(node_name "$i")" tail -n 20 /var/log/dockerd.log >&2 2>/dev/null || docker logs --tail 20 "$(node_name "$i")" >&2
      die "node $(node_name "$i") stopped"
    fi
    sleep 0.25
  done
  docker exec "$(node_name "$i")" tail -n 20 /var/log/dockerd.log >&2 || true
  die "dockerd in $(node_name "$i") did not answer within 30 s"
}

swarm_state() { ndocker "$1" info -f '{{.Swarm.LocalNodeState}}' 2>/dev/null || true; }

init_swarm() {
  local i wtoken mtoken role
  if [[ $(swarm_state 1) != active ]]; then
    # The overlay pool is explicit so it can never overlap the rig's own subnet.
    ndocker 1 swarm init --advertise-addr "$(node_ip 1)" --listen-addr "$(node_ip 1):2377" \
      --default-addr-pool 10.199.0.0/16 >/dev/null
  fi
  wtoken=$(ndocker 1 swarm join-token -q worker)
  mtoken=$(ndocker 1 swarm join-token -q manager)
  for ((i = 2; i <= NODES; i++)); do
    [[ $(swarm_state "$i") == active ]] && continue
    role=$wtoken
    ((i <= MANAGERS)) && role=$mtoken
    ndocker "$i" swarm join --token "$role" --advertise-addr "$(node_ip "$i")" --listen-addr "$(node_ip "$i"):2377" \
      "$(node_ip 1):2377" >/dev/null &
  done
  wait
}

# Copy host images into every node: one `docker save`, then a parallel `docker load` per node that lacks one.
load_images() {
  (($#)) || return 0
  local tar i id missing pids=()
  for id in "$@"; do docker image inspect "$id" >/dev/null 2>&1 || die "image $id is not on the host"; done
  tar=$(mktemp --suffix=.tar)
  docker save -o "$tar" "$@"
  for ((i = 1; i <= NODES; i++)); do
    missing=0
    for id in "$@"; do
      [[ $(ndocker "$i" image inspect -f '{{.Id}}' "$id" 2>/dev/null) == "$(docker image inspect -f '{{.Id}}' "$id")" ]] || missing=1
    done
    ((missing)) || continue
    ndocker "$i" load -q -i "$tar" >/dev/null &
    pids+=($!)
  done
  local failed=0
  for id in "${pids[@]}"; do wait "$id" || failed=1; done
  rm -f "$tar"
  ((failed == 0)) || die "docker load failed on a node"
}

memory() {
  local ids
  mapfile -t ids < <(docker ps -q --filter "label=$LABEL")
  ((${#ids[@]})) || return 0
  docker stats --no-stream --format '{{.Name}} {{.MemUsage}}' "${ids[@]}" 2>/dev/null |
    awk '{ v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[A-Za-z]+$/, "", v);
           m = (u == "GiB") ? v * 1024 : (u == "KiB") ? v / 1024 : (u == "B") ? v / 1048576 : v;
           t += m; printf "  %s %.0f MiB\n", $1, m } END { printf "  total %.0f MiB\n", t }'
}

up() {
  local t0 t
  t0=$(now)
  t=$(now)
  build_node_image
  log "phase node-image: $(since "$t") s"
  t=$(now)
  start_network
  for ((i = 1; i <= NODES; i++)); do start_node "$i"; done
  for ((i = 1; i <= NODES; i++)); do wait_node "$i"; done
  log "phase nodes-up: $(since "$t") s ($NODES nodes, dockerd answering)"
  t=$(now)
  init_swarm
  log "phase swarm: $(since "$t") s ($MANAGERS manager(s))"
  t=$(now)
  load_images "$@"
  log "phase images: $(since "$t") s ($# image(s) into each node)"
  log "up in $(since "$t0") s; manager: DOCKER_HOST=tcp://$(node_ip 1):$PORT"
  log "memory:"
  memory >&2
}

down() {
  local ids vols v
  ids=$(docker ps -aq --filter "label=$LABEL")
  # shellcheck disable=SC2086 # ids are docker ids, one per word
  [[ -z $ids ]] || docker rm -f -v $ids >/dev/null
  # In parallel: removing a node's image layers takes seconds each.
  mapfile -t vols < <(docker volume ls -q --filter "name=^$PREFIX-node[0-9]\$")
  for v in "${vols[@]}"; do docker volume rm "$v" >/dev/null 2>&1 & done
  wait
  docker network rm "$NET" >/dev/null 2>&1 || true
  log "down: $PREFIX removed"
}

status() {
  local i state
  for ((i = 1; i <= NODES; i++)); do
    state=$(docker container inspect -f '{{.State.Status}}' "$(node_name "$i")" 2>/dev/null | head -n 1 || true)
    printf '%s %s %s swarm=%s\n' "$(node_name "$i")" "$(node_ip "$i")" "${state:-absent}" "$(swarm_state "$i")"
  done
  ndocker 1 node ls 2>/dev/null || true
  echo memory:
  memory
}

cmd=${1:-}
shift || true
case $cmd in
  up) up "$@" ;;
  load) load_images "$@" ;;
  down) down ;;
  status) status ;;
  env) printf 'DOCKER_HOST=tcp://%s:%d\n' "$(node_ip 1)" "$PORT" ;;
  stop-node) docker stop -t 5 "$(node_name "${1:?node number}")" >/dev/null ;;
  start-node)
    start_node "${1:?node number}"
    wait_node "$1"
    ;;
  *) die "usage: $0 up [IMAGE...] | load IMAGE... | status | env | stop-node N | start-node N | down" ;;
esac
