#!/usr/bin/env bash
# Updates the proxy in place: pull, build, up -d, smoke test; if the smoke test fails, goes back
# to the images that ran before. Run from the checkout on the server:
#   scripts/deploy.sh                      # COMPOSE_FILE defaults to docker-compose.hetzner.yml
set -euo pipefail
cd "$(dirname "$0")/.."
file=${COMPOSE_FILE:-docker-compose.hetzner.yml}
images=(mcp-proxy/worker mcp-proxy/bridge)
# shellcheck source=scripts/lib/dotenv.sh
source scripts/lib/dotenv.sh
key=$(env_value MCP_API_KEY)
url="http://127.0.0.1:$(env_value MCP_PROXY_PORT 8000)"

for image in "${images[@]}"; do
  docker image inspect "$image:local" >/dev/null 2>&1 && docker tag "$image:local" "$image:previous"
done
before=$(git rev-parse HEAD)
git pull --ff-only
echo "deploy: $before → $(git rev-parse HEAD)"

if docker compose -f "$file" up -d --build --wait && scripts/smoke-test.sh "$url" "$key"; then
  echo "deploy: done"
  exit 0
fi

echo "deploy: the new version failed; rolling back to the previous images" >&2
for image in "${images[@]}"; do
  docker image inspect "$image:previous" >/dev/null 2>&1 && docker tag "$image:previous" "$image:local"
done
git reset --hard --quiet "$before"
docker compose -f "$file" up -d --no-build --wait
scripts/smoke-test.sh "$url" "$key"
echo "deploy: rolled back to $before" >&2
exit 1
