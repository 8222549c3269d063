#!/usr/bin/env bash
# Updates the proxy in place: pull, build, up -d, smoke test; if the smoke test fails, goes back
# to the images that ran before. Run from the checkout on the server:
#   scripts/deploy.sh       # COMPOSE_FILE: docker-compose.hetzner.yml (the team stack) once .env
#                           # has a DOMAIN, docker-compose.proxy-only.yml (the proxy alone) until then
set -euo pipefail
cd "$(dirname "$0")/.."
images=(mcp-proxy/worker mcp-proxy/bridge)  # the auth service runs the worker's image too
# shellcheck source=scripts/lib/dotenv.sh
source scripts/lib/dotenv.sh
key=$(env_value MCP_API_KEY)
url="http://127.0.0.1:$(env_value MCP_PROXY_PORT 8000)"
domain=$(env_value DOMAIN)
if [ -n "$domain" ]; then file=${COMPOSE_FILE:-docker-compose.hetzner.yml}; else file=${COMPOSE_FILE:-docker-compose.proxy-only.yml}; fi

# The proxy alone is smoke-tested on its published port. The team stack publishes only Traefik's
# 80/443: `up --wait` has seen every service healthy, and the proxy must answer through Traefik
# (-k: a staging or not-yet-issued certificate must not roll a good version back).
verify() {
  case "$file" in
    docker-compose.hetzner.yml | docker-compose.yml)
      curl -fsS -k --max-time 20 --resolve "mcp.$domain:443:127.0.0.1" "https://mcp.$domain/health" && echo
      ;;
    *) scripts/smoke-test.sh "$url" "$key" ;;
  esac
}

for image in "${images[@]}"; do
  docker image inspect "$image:local" >/dev/null 2>&1 && docker tag "$image:local" "$image:previous"
done
before=$(git rev-parse HEAD)
git pull --ff-only
echo "deploy: $before → $(git rev-parse HEAD)"

if docker compose -f "$file" up -d --build --wait && verify; then
  echo "deploy: done"
  exit 0
fi

echo "deploy: the new version failed; rolling back to the previous images" >&2
for image in "${images[@]}"; do
  docker image inspect "$image:previous" >/dev/null 2>&1 && docker tag "$image:previous" "$image:local"
done
git reset --hard --quiet "$before"
docker compose -f "$file" up -d --no-build --wait
verify
echo "deploy: rolled back to $before" >&2
exit 1
