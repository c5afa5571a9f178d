#!/usr/bin/env bash
# The Docker part of CI: a private Docker engine, the images the image and Compose tests run
# (src/test/java/dev/switchboard/deploy/DockerImageTest and ComposeUpTest), and the variables that point them there.
#
# No registry answers on the CI machine, so every image is made here from Debian's packages:
#   switchboard-ci/debian:trixie-<hash>  a debootstrap minbase root; the tarball is cached in $CACHE under a hash of
#                                        .ci/images/debian-rootfs.sh, so later runs skip debootstrap
#   switchboard-ci/jre:25                Debian's OpenJDK 25 JRE, the base the project's Dockerfile builds on here
#   switchboard-ci/postgres:17           stand-ins for the official postgres, mariadb and mysql images (see
#   switchboard-ci/mariadb:11.8          .ci/images/*/Dockerfile and docs/deployment.md for what they prove)
#   switchboard:local                    the project's Dockerfile, from target/switchboard.jar (JAR_FROM=prebuilt)
# Docker's own build cache, kept in the engine's data root, makes a second run reuse every layer.
#
# Sourced by .ci/run, which calls docker_up, docker_images and, at its end, docker_down. Run alone, it does the
# same and stops the engine it started when it ends, unless SWITCHBOARD_CI_DOCKER_KEEP=true.
DOCKER_CI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DOCKER_CI_CACHE=${SWITCHBOARD_CI_CACHE:-/var/cache/switchboard-ci}
DOCKER_CI_SOCKET=/run/switchboard-ci-docker.sock
DOCKER_CI_PIDFILE=/run/switchboard-ci-docker.pid
DOCKER_CI_STARTED=""
DOCKER_CI_PLUGINS=/usr/local/lib/docker/cli-plugins
type say >/dev/null 2>&1 || say() { printf '\n=== %s\n' "$*"; }

# docker_up: starts the private engine unless it already answers, and makes `docker compose` and `docker buildx`
# available. Exports DOCKER_HOST for everything after it, the tests included.
docker_up() {
  export DOCKER_HOST=unix://$DOCKER_CI_SOCKET
  if ! docker version >/dev/null 2>&1; then
    if ! command -v dockerd >/dev/null 2>&1; then
      # Debian's engine (with containerd and runc); as root, without systemd, nothing starts it but the line below.
      say "Installing Debian's docker.io for a private Docker engine"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
    fi
    mkdir -p /var/lib/switchboard-ci-docker /run/switchboard-ci-docker "$DOCKER_CI_CACHE"
    # Bridge networks work here (a Compose project's services reach each other by name); iptables is left alone,
    # so published ports go through Docker's userland proxy on the host.
    dockerd --data-root /var/lib/switchboard-ci-docker --exec-root /run/switchboard-ci-docker \
      -H "$DOCKER_HOST" --pidfile "$DOCKER_CI_PIDFILE" --iptables=false --ip6tables=false \
      >"$DOCKER_CI_CACHE/dockerd.log" 2>&1 &
    DOCKER_CI_STARTED=$!
    local tries=0
    until docker version >/dev/null 2>&1; do
      tries=$((tries + 1))
      if [ "$tries" -gt 60 ] || ! kill -0 "$DOCKER_CI_STARTED" 2>/dev/null; then
        echo "The private dockerd did not start; its log:" >&2; tail -n 20 "$DOCKER_CI_CACHE/dockerd.log" >&2
        DOCKER_CI_STARTED=""; return 1
      fi
      sleep 0.5
    done
  fi
  echo "Docker engine $(docker version --format '{{.Server.Version}}') at $DOCKER_HOST"
}

# docker_down: stops the engine if docker_up started it (its containers stop with it).
docker_down() {
  [ -n "$DOCKER_CI_STARTED" ] || return 0
  kill "$DOCKER_CI_STARTED" 2>/dev/null || true
  wait "$DOCKER_CI_STARTED" 2>/dev/null || true
  DOCKER_CI_STARTED=""
}

# The base root, imported from the cached tarball (made by debian-rootfs.sh when the cache has none for its hash).
docker_base() {
  local hash tarball
  hash=$(sha256sum "$DOCKER_CI_ROOT/.ci/images/debian-rootfs.sh" | cut -c1-12)
  DOCKER_CI_BASE=switchboard-ci/debian:trixie-$hash
  docker image inspect "$DOCKER_CI_BASE" >/dev/null 2>&1 && return 0
  tarball=$DOCKER_CI_CACHE/debian-trixie-$hash.tar
  if [ ! -f "$tarball" ]; then
    say "debootstrap of Debian trixie (cached as $tarball)"
    mkdir -p "$DOCKER_CI_CACHE"
    "$DOCKER_CI_ROOT/.ci/images/debian-rootfs.sh" "$tarball"
  fi
  docker import "$tarball" "$DOCKER_CI_BASE" >/dev/null
}

# Debian trixie's docker-compose (v2) and docker-buildx, taken from their packages into Docker's plugin folder
# (the host's own docker-compose, v1, only validates the files in .ci/run).
docker_plugins() {
  docker compose version >/dev/null 2>&1 && docker buildx version >/dev/null 2>&1 && return 0
  local out=$DOCKER_CI_CACHE/cli-plugins
  if [ ! -x "$out/docker-compose" ] || [ ! -x "$out/docker-buildx" ]; then
    mkdir -p "$out"
    docker run --rm --network host -v "$out:/out" "$DOCKER_CI_BASE" sh -ec '
      apt-get update -qq; cd /tmp; apt-get download -qq docker-compose docker-buildx
      for deb in ./*.deb; do dpkg-deb -x "$deb" /tmp/x; done
      cp /tmp/x/usr/libexec/docker/cli-plugins/docker-compose /tmp/x/usr/libexec/docker/cli-plugins/docker-buildx /out/'
  fi
  mkdir -p "$DOCKER_CI_PLUGINS"
  install -m 755 "$out/docker-compose" "$out/docker-buildx" "$DOCKER_CI_PLUGINS/"
}

# docker_images: every image the tests use, and the variables that name them. Needs target/switchboard.jar.
docker_images() {
  docker_base
  docker_plugins
  local build=(docker build -q --network host --build-arg "BASE=$DOCKER_CI_BASE")
  say "Building the CI images: JRE, PostgreSQL and MariaDB stand-ins"
  "${build[@]}" -t switchboard-ci/jre:25 "$DOCKER_CI_ROOT/.ci/images/jre" >/dev/null
  "${build[@]}" -t switchboard-ci/postgres:17 "$DOCKER_CI_ROOT/.ci/images/postgres" >/dev/null
  "${build[@]}" -t switchboard-ci/mariadb:11.8 "$DOCKER_CI_ROOT/.ci/images/mariadb" >/dev/null
  [ -f "$DOCKER_CI_ROOT/target/switchboard.jar" ] || { echo "No target/switchboard.jar to build the image from" >&2; return 1; }
  say "Building switchboard:local from the project's Dockerfile (JAR_FROM=prebuilt, on switchboard-ci/jre:25)"
  docker build -q --network host --build-arg JAR_FROM=prebuilt --build-arg RUNTIME_IMAGE=switchboard-ci/jre:25 \
    -t switchboard:local "$DOCKER_CI_ROOT" >/dev/null
  echo "switchboard:local: $(docker image inspect switchboard:local --format '{{.Size}}' | awk '{printf "%.0f MB", $1 / 1e6}')"
  export SWITCHBOARD_TEST_IMAGE=switchboard:local
  export SWITCHBOARD_POSTGRES_IMAGE=switchboard-ci/postgres:17
  export SWITCHBOARD_MARIADB_IMAGE=switchboard-ci/mariadb:11.8
  export SWITCHBOARD_MYSQL_IMAGE=switchboard-ci/mariadb:11.8
  export SWITCHBOARD_TEST_DOCKER_REQUIRED=true
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  [ "${SWITCHBOARD_CI_DOCKER_KEEP:-false}" = true ] || trap docker_down EXIT
  docker_up
  docker_images
fi
