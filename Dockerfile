# The shipkit runtime image: the `shipkit` CLI plus what its steps call (docker CLI, compose,
# ShellCheck, git). Built from the committed bundle in dist/cli (run `npm run build` in a checkout):
#   docker build -t shipkit .                                         (public base: node:22-alpine)
#   docker build --build-arg BASE_IMAGE=node:22-bookworm-slim -t shipkit .
# BASE_IMAGE must be a Node 20+ image based on Alpine (apk) or Debian/Ubuntu (apt). On Alpine the
# compose v2 plugin (`docker compose`) is installed; Debian has only compose v1 (`docker-compose`),
# which shipkit supports as well. CI builds this file with shipkit's own build-push.
ARG BASE_IMAGE=node:22-alpine
FROM ${BASE_IMAGE}
ARG BASE_IMAGE
ARG VERSION=1.0.0
ARG REVISION=""
ARG CREATED=""

USER 0
WORKDIR /tmp
# Debian: only the docker CLI binary out of docker.io (the package also holds dockerd, containerd
# and runc, about 150 MB that a client never runs). Versions are the base's distribution's (a pin
# would tie the file to one base image and release).
# hadolint ignore=DL3008,DL3018
RUN set -eu; \
    command -v node >/dev/null || { echo "BASE_IMAGE=${BASE_IMAGE} has no node: use a Node 20+ image" >&2; exit 1; }; \
    if command -v apk >/dev/null; then \
      apk add --no-cache docker-cli docker-cli-compose shellcheck git ca-certificates; \
    elif command -v apt-get >/dev/null; then \
      export DEBIAN_FRONTEND=noninteractive; \
      apt-get update -qq; \
      apt-get install -y -qq --no-install-recommends shellcheck git ca-certificates docker-compose >/dev/null; \
      apt-get download -qq docker.io 2>/dev/null; \
      dpkg-deb -x docker.io_*.deb /tmp/docker.io; \
      cp /tmp/docker.io/usr/bin/docker /usr/bin/docker; \
      rm -rf /tmp/docker.io docker.io_*.deb /var/lib/apt/lists/* /var/cache/apt/*.bin; \
    else \
      echo "BASE_IMAGE=${BASE_IMAGE} has neither apk nor apt-get: use an Alpine or Debian based Node image" >&2; exit 1; \
    fi; \
    if command -v useradd >/dev/null; then \
      useradd --uid 10001 --create-home --home-dir /home/shipkit --shell /bin/sh shipkit; \
    else \
      adduser -D -u 10001 -h /home/shipkit shipkit; \
    fi

COPY package.json LICENSE /opt/shipkit/
COPY dist/cli/ /opt/shipkit/dist/cli/
RUN chmod 0755 /opt/shipkit/dist/cli/index.js \
    && ln -s /opt/shipkit/dist/cli/index.js /usr/local/bin/shipkit \
    && shipkit --version

LABEL org.opencontainers.image.title="shipkit" \
      org.opencontainers.image.description="shipkit CLI with the docker CLI, compose, ShellCheck and git" \
      org.opencontainers.image.source="https://github.com/shipkit-dev/shipkit" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="${BASE_IMAGE}"

# Non-root by default (10001 is the shipkit user created above) (lint, meta, notify, smoke need nothing more). Jobs that use the host's
# docker socket run as root or as a member of the socket's group (the GitLab components set it).
USER 10001
WORKDIR /home/shipkit
ENTRYPOINT []
CMD ["shipkit", "--help"]
