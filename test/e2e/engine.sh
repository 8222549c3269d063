# shellcheck shell=bash
# Sourced by compose.sh: a Docker engine and Compose v2 on this machine, installed from Debian's
# packages when missing (see shared/notes/docker-on-ci-machines.md). Sets STARTED_DOCKERD when it
# starts the engine itself, so the caller can stop it again.

ensure_engine() {
  if ! command -v dockerd >/dev/null || ! command -v debootstrap >/dev/null; then
    echo "== installing docker.io and debootstrap"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io debootstrap >/dev/null
  fi
  if ! docker info >/dev/null 2>&1; then
    echo "== starting dockerd"
    dockerd >"${E2E_WORK}/dockerd.log" 2>&1 &
    STARTED_DOCKERD=$!
    for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
    docker info >/dev/null 2>&1 || { cat "${E2E_WORK}/dockerd.log"; return 1; }
  fi
  if ! docker compose version >/dev/null 2>&1; then
    echo "== installing the Compose v2 plugin (Debian 13's docker-compose package)"
    local lists="${E2E_WORK}/trixie"
    mkdir -p "$lists/lists/partial"
    echo "deb $(debian_mirror) trixie main" >"$lists/sources.list"
    local opts=(-o "Dir::Etc::SourceList=$lists/sources.list" -o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$lists/lists")
    apt-get "${opts[@]}" update -qq
    (cd "$lists" && apt-get "${opts[@]}" download docker-compose >/dev/null)
    dpkg -x "$lists"/docker-compose_*.deb "$lists/pkg"
    install -D "$lists/pkg/usr/libexec/docker/cli-plugins/docker-compose" /usr/local/lib/docker/cli-plugins/docker-compose
  fi
  docker compose version
}

debian_mirror() {
  awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || echo http://deb.debian.org/debian
}

stop_engine() {
  if [ -n "${STARTED_DOCKERD:-}" ]; then
    kill "$STARTED_DOCKERD" 2>/dev/null
    wait "$STARTED_DOCKERD" 2>/dev/null || true
  fi
}
