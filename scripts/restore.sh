#!/usr/bin/env bash
# Restores a dump made by scripts/backup.sh into the running database, replacing what is there.
#   scripts/restore.sh backups/mcp_proxy-20261124-033000.dump
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:?usage: restore.sh <dump file>}
[ -f "$file" ] || { echo "restore: no such file: $file" >&2; exit 1; }
container=${POSTGRES_CONTAINER:-mcp-postgres}
user=$(sed -n 's/^POSTGRES_USER=//p' .env 2>/dev/null || true)
db=$(sed -n 's/^POSTGRES_DB=//p' .env 2>/dev/null || true)
user=${user:-mcp}
db=${db:-mcp_proxy}

docker exec -i "$container" pg_restore -U "$user" -d "$db" --clean --if-exists --no-owner --single-transaction <"$file"
echo "restore: $file restored into $db"
