#!/usr/bin/env bash
# Dumps the proxy's database (pg_dump, custom format) into backups/, keeping BACKUP_KEEP_DAYS (14).
# Run from the checkout, by cron (bootstrap.sh schedules it nightly) or by hand:
#   scripts/backup.sh            → backups/mcp_proxy-YYYYmmdd-HHMMSS.dump
set -euo pipefail
cd "$(dirname "$0")/.."
container=${POSTGRES_CONTAINER:-mcp-postgres}
dir=${BACKUP_DIR:-backups}
keep=${BACKUP_KEEP_DAYS:-14}
# shellcheck source=scripts/lib/dotenv.sh
source scripts/lib/dotenv.sh
user=$(env_value POSTGRES_USER mcp)
db=$(env_value POSTGRES_DB mcp_proxy)

mkdir -p "$dir"
chmod 700 "$dir"
file="$dir/${db}-$(date -u +%Y%m%d-%H%M%S).dump"
docker exec "$container" pg_dump -U "$user" -d "$db" --format=custom >"$file.partial"
mv "$file.partial" "$file"
chmod 600 "$file"
echo "backup: $file ($(du -h "$file" | cut -f1))"
find "$dir" -name "${db}-*.dump" -type f -mtime +"$keep" -print -delete | sed 's/^/backup: removed /'
