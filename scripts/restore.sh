#!/usr/bin/env bash
# Restores a dump made by scripts/backup.sh into the running database, replacing what is there.
#   scripts/restore.sh backups/mcp_proxy-20261124-033000.dump
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:?usage: restore.sh <dump file>}
[ -f "$file" ] || { echo "restore: no such file: $file" >&2; exit 1; }
container=${POSTGRES_CONTAINER:-mcp-postgres}
# shellcheck source=scripts/lib/dotenv.sh
source scripts/lib/dotenv.sh
user=$(env_value POSTGRES_USER mcp)
db=$(env_value POSTGRES_DB mcp_proxy)

docker exec -i "$container" pg_restore -U "$user" -d "$db" --clean --if-exists --no-owner --single-transaction <"$file"
echo "restore: $file restored into $db"
