# shellcheck shell=bash
# Sourced by scripts that set up the host (packages, dockerd, the registry): runs the calling script
# as root. As root it does nothing; as another user it runs the script again through sudo, keeping
# its arguments and PATH (Node from nvm or a tarball stays found); without sudo it says how to go on.
#   source "$(dirname "$0")/lib/as-root.sh"; as_root "$@"
as_root() {
  [[ $(id -u) -eq 0 ]] && return 0
  if command -v sudo >/dev/null 2>&1; then
    printf '[shipkit] %s needs root for host set-up (packages, dockerd, registry): running it with sudo\n' "${0##*/}" >&2
    exec sudo env "PATH=$PATH" SHIPKIT_AS_ROOT_FROM="$(id -un)" bash "$0" "$@"
  fi
  printf '[shipkit] %s needs root for host set-up (packages, dockerd, registry), and sudo is not installed: run it as root\n' "${0##*/}" >&2
  exit 1
}
