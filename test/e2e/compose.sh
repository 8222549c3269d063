#!/usr/bin/env bash
# End-to-end with a real Docker engine on this machine. First the VPS bootstrap script in a
# throwaway Debian 12 container (bootstrap.sh). Then, for docker-compose.proxy-only.yml and
# docker-compose.local-test.yml: up --wait → healthy → smoke test → the seeded rows in the
# database → POST /sql runs as the least-privilege role and is refused DDL → a tool call → a
# crashed bridge is restarted by its policy and serves again → every bundled server writes and
# reads back, curl without a content type, /docs from the container, a foreign Origin refused →
# restart keeps the data → backup, drop, restore (grants kept) → down -v leaves nothing. The
# Then the team stack, docker-compose.hetzner.yml behind Traefik (stand-ins for the Traefik and
# Open WebUI images, a test CA's certificate instead of Let's Encrypt): healthy, only 80/443
# published, TLS, redirect, HSTS, forged identity headers, sign-in redirect and 401. Every file is
# validated with `docker compose config` and every profile; the monitoring profile's Prometheus
# config with promtool, its Grafana dashboard parsed (monitoring.sh).
# Run by `npm run test:e2e` (needs root for the engine); cleans up after itself, even on failure.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/test/e2e"
E2E_WORK=$(mktemp -d /tmp/mcp-e2e.XXXXXX)
PROJECT="mcp-e2e"
cd "$ROOT"
# shellcheck source=test/e2e/engine.sh
source "$HERE/engine.sh"
# shellcheck source=test/e2e/standins.sh
source "$HERE/standins.sh"
# shellcheck source=test/e2e/bootstrap.sh
source "$HERE/bootstrap.sh"
# shellcheck source=test/e2e/monitoring.sh
source "$HERE/monitoring.sh"

passed=0
step() { echo "== $*"; }
ok() { echo "   ok: $*"; passed=$((passed + 1)); }
fail() { echo "   FAILED: $*"; exit 1; }

cleanup() {
  local status=$?
  set +e
  if [ -n "${current_file:-}" ]; then
    [ "$status" -ne 0 ] && compose logs --no-color --tail 80
    compose down -v --remove-orphans >/dev/null 2>&1
  fi
  docker rm -f "$VPS" >/dev/null 2>&1
  rm -rf "$ROOT/.docker-deps" "$E2E_WORK"
  stop_engine
  exit "$status"
}
trap cleanup EXIT

compose_overrides=()
compose() { docker compose -p "$PROJECT" -f "$current_file" "${compose_overrides[@]}" --env-file "$E2E_WORK/env" "$@"; }

# write_env <file> [with-secrets]: what a .env would hold; without secrets, the file's defaults apply.
write_env() {
  {
    echo "MCP_PROXY_BIND=127.0.0.1"
    echo "MCP_PROXY_PORT=$PORT"
    echo "ADMIN_EMAIL=admin@example.com"
    if [ "${1:-}" = with-secrets ]; then
      echo "MCP_API_KEY=$(openssl rand -hex 16)"
      echo "BRIDGE_TOKEN=$(openssl rand -hex 32)"
      echo "POSTGRES_PASSWORD=$(openssl rand -hex 24)"
      echo "POSTGRES_APP_PASSWORD=$(openssl rand -hex 24)"
    fi
  } >"$E2E_WORK/env"
}

psql_in_db() { compose exec -T postgres psql -U mcp -d mcp_proxy -At -c "$1"; }

# check_bridge_crash <key>: the bridge's main process dies (SIGKILL from the host: a real crash,
# unlike `docker kill`, which Docker may count as a manual stop); its restart policy brings the
# container back and the proxy, not restarted, serves a stdio server again.
check_bridge_crash() {
  local key=$1 base="http://127.0.0.1:$PORT" pid restarts proxy_started answer
  step "$current_file: the bridge crashes"
  pid=$(docker inspect -f '{{.State.Pid}}' mcp-bridge)
  restarts=$(docker inspect -f '{{.RestartCount}}' mcp-bridge)
  proxy_started=$(docker inspect -f '{{.State.StartedAt}}' mcp-proxy)
  [ "$(docker inspect -f '{{.HostConfig.RestartPolicy.Name}}' mcp-bridge)" = unless-stopped ] || fail "mcp-bridge has no restart policy"
  kill -KILL "$pid"
  for _ in $(seq 60); do
    [ "$(docker inspect -f '{{.RestartCount}} {{.State.Health.Status}}' mcp-bridge)" = "$((restarts + 1)) healthy" ] && break
    sleep 1
  done
  [ "$(docker inspect -f '{{.RestartCount}} {{.State.Health.Status}}' mcp-bridge)" = "$((restarts + 1)) healthy" ] \
    || fail "mcp-bridge was not restarted after its process was killed: $(docker inspect -f '{{.RestartCount}} {{.State.Status}} {{.State.Health.Status}}' mcp-bridge)"
  ok "SIGKILL to mcp-bridge's process (pid $pid on the host): restarted by its policy, healthy again"
  for _ in $(seq 30); do
    answer=$(curl -s -H "Authorization: Bearer $key" -H 'content-type: application/json' -d '{"path":"notes/todo.txt"}' "$base/filesystem/read_text_file")
    grep -q "Ship the proxy" <<<"$answer" && break
    sleep 1
  done
  grep -q "Ship the proxy" <<<"$answer" || fail "no stdio call after the bridge came back: $answer"
  [ "$(docker inspect -f '{{.State.StartedAt}}' mcp-proxy)" = "$proxy_started" ] || fail "mcp-proxy was restarted too"
  ok "POST /filesystem/read_text_file answers again; mcp-proxy was not restarted"
}

# --- The database channel's role (issue 11, item 6) ---------------------------------------
# POST /sql as the worker sends it, from inside the bridge's container, with its token.
sql_via_bridge() {
  docker exec -i mcp-bridge node -e '
    const body = require("fs").readFileSync(0, "utf8");
    fetch("http://127.0.0.1:8001/sql", { method: "POST", body, headers: { authorization: "Bearer " + process.env.BRIDGE_TOKEN, "content-type": "application/json" } })
      .then(async (r) => console.log(r.status, await r.text()), (e) => { console.log("fetch failed", e.message); process.exit(1); });' <<<"{\"query\":\"$1\"}"
}

check_runtime_role() {
  step "$current_file: the bridge queries as a least-privilege role"
  local answer
  answer=$(sql_via_bridge "SELECT current_user, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user")
  grep -q '^200 .*"rows":\[\["mcp_app","f","f","f"\]\]' <<<"$answer" || fail "POST /sql does not run as mcp_app without superuser, CREATEROLE, CREATEDB: $answer"
  [ "$(psql_in_db "SELECT rolsuper FROM pg_roles WHERE rolname = 'mcp_app'")" = f ] || fail "mcp_app is a superuser"
  ok "POST /sql runs as mcp_app: not a superuser, no CREATEROLE, no CREATEDB"
  answer=$(sql_via_bridge "CREATE ROLE intruder LOGIN")
  grep -q '^400 .*permission denied to create role' <<<"$answer" || fail "CREATE ROLE through POST /sql: $answer"
  answer=$(sql_via_bridge "SELECT pg_read_file('/etc/passwd')")
  grep -q '^400 .*permission denied for function pg_read_file' <<<"$answer" || fail "pg_read_file through POST /sql: $answer"
  answer=$(sql_via_bridge "DROP TABLE user_group_membership")
  grep -q '^400 .*must be owner of table user_group_membership' <<<"$answer" || fail "DROP TABLE through POST /sql: $answer"
  ok "CREATE ROLE, pg_read_file, DROP TABLE through POST /sql: refused"
}
# ------------------------------------------------------------------------------------------

boot_and_check() {
  current_file=$1
  local key=$2 base="http://127.0.0.1:$PORT"
  step "$current_file: up --wait"
  compose up -d --build --wait --wait-timeout 180 >"$E2E_WORK/up.log" 2>&1 || { cat "$E2E_WORK/up.log"; fail "up"; }
  local unhealthy
  unhealthy=$(compose ps --format '{{.Name}} {{.Health}}' | grep -v ' healthy$' || true)
  [ -z "$unhealthy" ] || fail "not healthy: $unhealthy"
  ok "every service healthy ($(compose ps --format '{{.Name}}' | tr '\n' ' '))"

  step "$current_file: smoke test"
  "$ROOT/scripts/smoke-test.sh" "$base" "$key" || fail "smoke test"
  ok "smoke test"
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/servers")" = 401 ] || fail "/servers answered without the API key"
  ok "the API key is required"
  docker logs mcp-proxy >/dev/null 2>&1 || fail "docker logs mcp-proxy"
  ok "docker logs mcp-proxy"
  for container in mcp-proxy mcp-bridge; do
    [ "$(docker exec "$container" id -u)" != 0 ] || fail "$container runs as root"
  done
  if [ -n "$(docker port mcp-bridge)$(docker port mcp-postgres)" ]; then fail "the bridge or the database is published"; fi
  ok "worker and bridge run as non-root users; the bridge and the database are not published"

  step "$current_file: the database"
  local rows
  rows=$(psql_in_db "SELECT * FROM group_tenant_mapping;")
  if ! grep -q '^mcp-admins|\*|' <<<"$rows" || ! grep -q '^filesystem-users|filesystem|' <<<"$rows"; then fail "seeded rows missing: $rows"; fi
  ok "SELECT * FROM group_tenant_mapping; returns the seeded rows ($(wc -l <<<"$rows") rows)"
  [ "$(psql_in_db "SELECT is_admin FROM user_admin_status WHERE user_email = 'admin@example.com'")" = t ] || fail "ADMIN_EMAIL is not an admin"
  ok "ADMIN_EMAIL is an admin"
  check_runtime_role

  step "$current_file: a tool call"
  local auth=(-H "Authorization: Bearer $key" -H 'content-type: application/json')
  curl -sf "${auth[@]}" -d '{"path":"notes/todo.txt"}' "$base/filesystem/read_text_file" | grep -q "Ship the proxy" || fail "tool call"
  ok "POST /filesystem/read_text_file"
  local mcp=(-H "Authorization: Bearer $key" -H 'content-type: application/json' -H 'accept: application/json, text/event-stream')
  answer=$(curl -s "${mcp[@]}" -d '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"filesystem_read_text_file","arguments":{"path":"notes/todo.txt"}}}' "$base/mcp")
  grep -q "Ship the proxy" <<<"$answer" || fail "tools/call through /mcp: $answer"
  answer=$(curl -s -i "${mcp[@]}" -d '{"jsonrpc":"2.0","id":2,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"e2e","version":"1"}}}' "$base/memory/mcp")
  grep -qi '^mcp-session-id:' <<<"$answer" || fail "initialize on /memory/mcp gave no session id: $answer"
  grep -q '"protocolVersion":"2025-11-25"' <<<"$answer" || fail "initialize on /memory/mcp: $answer"
  ok "MCP: tools/call filesystem_read_text_file on /mcp, initialize on /memory/mcp"
  check_bridge_crash "$key"

  step "$current_file: every bundled server, /docs and the origin check, as a new user meets them"
  local answer status
  answer=$(curl -s "${auth[@]}" -d '{"path":"e2e-write.txt","content":"written in docker"}' "$base/filesystem/write_file")
  grep -q 'Successfully wrote' <<<"$answer" || fail "POST /filesystem/write_file: $answer"
  answer=$(curl -s "${auth[@]}" -d '{"path":"e2e-write.txt"}' "$base/filesystem/read_text_file")
  grep -q 'written in docker' <<<"$answer" || fail "read_text_file does not read back what write_file wrote: $answer"
  ok "POST /filesystem/write_file, then read_text_file reads it back"
  # As the requirements and the README write it: no content type (curl -d says form-urlencoded).
  answer=$(curl -s -X POST "$base/filesystem/list_directory" -H "Authorization: Bearer $key" -d '{"arguments":{"path":"."}}')
  grep -q 'README.md' <<<"$answer" || fail "list_directory without a content type: $answer"
  ok "curl -X POST /filesystem/list_directory -d '{\"arguments\":{\"path\":\".\"}}' lists README.md"
  answer=$(curl -s -X POST "$base/memory/create_entities" -H "Authorization: Bearer $key" -d '{"entities":[{"name":"e2e-curl","entityType":"test","observations":["written by curl -d"]}]}')
  grep -q 'e2e-curl' <<<"$answer" || fail "memory/create_entities without a content type: $answer"
  answer=$(curl -s -X POST "$base/memory/read_graph" -H "Authorization: Bearer $key")
  grep -q 'written by curl -d' <<<"$answer" || fail "memory/read_graph does not read back the entity: $answer"
  ok "memory: create_entities, then read_graph reads it back (curl -d, no content type)"

  answer=$(curl -s -H "Authorization: Bearer $key" "$base/docs")
  grep -q 'docs/swagger-ui-bundle.js' <<<"$answer" || fail "GET /docs does not load Swagger UI from the proxy: $answer"
  if grep -qE 'https?://' <<<"$answer"; then fail "GET /docs loads files from elsewhere: $(grep -oE 'https?://[^"]*' <<<"$answer" | head -3)"; fi
  for file in swagger-ui-bundle.js swagger-ui.css favicon-32x32.png; do
    status=$(curl -s -o "$E2E_WORK/$file" -w '%{http_code}' -H "Authorization: Bearer $key" "$base/docs/$file")
    if [ "$status" != 200 ] || [ ! -s "$E2E_WORK/$file" ]; then fail "GET /docs/$file: HTTP $status $(head -c 300 "$E2E_WORK/$file")"; fi
  done
  grep -q 'SwaggerUIBundle' "$E2E_WORK/swagger-ui-bundle.js" || fail "GET /docs/swagger-ui-bundle.js is not Swagger UI"
  ok "GET /docs names docs/swagger-ui-bundle.js and the container serves it, the styles and the icon (no CDN)"

  status=$(curl -s -o "$E2E_WORK/evil.json" -w '%{http_code}' -H 'Origin: http://evil.example' -H "Authorization: Bearer $key" \
    -d '{"path":"e2e-evil.txt","content":"from a web page"}' "$base/filesystem/write_file")
  grep -q origin_not_allowed "$E2E_WORK/evil.json" || fail "a write from http://evil.example: HTTP $status $(cat "$E2E_WORK/evil.json")"
  [ "$status" = 403 ] || fail "a write from http://evil.example: HTTP $status, not 403"
  status=$(curl -s -o /dev/null -w '%{http_code}' "${auth[@]}" -d '{"path":"e2e-evil.txt"}' "$base/filesystem/read_text_file")
  [ "$status" = 422 ] || fail "the refused write from http://evil.example ran anyway (read_text_file e2e-evil.txt: HTTP $status)"
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Origin: http://evil.example' -H "Authorization: Bearer $key" "$base/openapi.json")" = 403 ] \
    || fail "GET /openapi.json from http://evil.example is not refused"
  ok "Origin: http://evil.example gets 403 before anything runs (the file it would write is not there)"

  step "$current_file: data that must survive a restart"
  curl -sf "${auth[@]}" -d '{"entities":[{"name":"e2e","entityType":"test","observations":["kept"]}]}' "$base/memory/create_entities" >/dev/null || fail "memory write"
  curl -sf "${auth[@]}" -d '{"add":[{"email":"kept@example.com","group":"memory-users"}]}' "$base/admin/memberships" >/dev/null || fail "admin API"
  ok "wrote a memory entity and a membership"
  compose restart >/dev/null 2>&1
  compose up -d --wait --wait-timeout 120 >/dev/null 2>&1 || fail "healthy again after restart"
  curl -sf "${auth[@]}" -d '{}' "$base/memory/read_graph" | grep -q '"kept"' || fail "the memory entity is gone after restart"
  [ "$(psql_in_db "SELECT count(*) FROM user_group_membership WHERE user_email = 'kept@example.com'")" = 1 ] || fail "the membership is gone after restart"
  ok "restart kept the data"

  step "$current_file: backup and restore"
  local backups="$E2E_WORK/backups/${current_file%.yml}" dump
  BACKUP_DIR="$backups" "$ROOT/scripts/backup.sh" >/dev/null || fail "backup.sh"
  dump=$(ls "$backups"/mcp_proxy-*.dump)
  psql_in_db "DELETE FROM user_group_membership; DROP TABLE group_tenant_mapping;" >/dev/null
  [ "$(psql_in_db "SELECT to_regclass('group_tenant_mapping') IS NULL")" = t ] || fail "the table was not dropped"
  "$ROOT/scripts/restore.sh" "$dump" >/dev/null || fail "restore.sh"
  [ "$(psql_in_db "SELECT count(*) FROM user_group_membership WHERE user_email = 'kept@example.com'")" = 1 ] || fail "the membership is not back"
  [ "$(psql_in_db "SELECT count(*) FROM group_tenant_mapping")" = 8 ] || fail "the mappings are not back"
  ok "backup.sh, then drop, then restore.sh: the rows are back"
  grep -q '^200 .*"rows":\[\["8"\]\]' <<<"$(sql_via_bridge "SELECT count(*) FROM group_tenant_mapping")" || fail "the restored tables lost mcp_app's grants"
  ok "the restored tables keep the runtime role's grants"

  step "$current_file: down -v"
  compose down -v --remove-orphans >/dev/null 2>&1
  [ -z "$(docker ps -aq --filter "label=com.docker.compose.project=$PROJECT")" ] || fail "containers left"
  [ -z "$(docker volume ls -q --filter "label=com.docker.compose.project=$PROJECT")" ] || fail "volumes left"
  ok "nothing left running, no volumes left"
  current_file=
}

# --- The team stack (issue 14, 2A): Traefik with TLS in front --------------------------------
# docker-compose.hetzner.yml booted as users run it, with Traefik's certificate from a test CA
# (team-tls.override.yml) instead of Let's Encrypt, and stand-ins for the images no registry
# gives us here (standins.sh: Traefik's own binary, an echo in Open WebUI's place).
DOMAIN=example.test
write_team_env() {
  write_env with-secrets
  {
    echo "DOMAIN=$DOMAIN"
    echo "ACME_EMAIL=ops@$DOMAIN"
    # Nothing answers there: a certificate missing from the store would show as a failed order.
    echo "ACME_CA_SERVER=http://127.0.0.1:9/directory"
    echo "TRAEFIK_BIND=127.0.0.1"
    echo "ENTRA_TENANT_ID=00000000-0000-0000-0000-000000000001"
    echo "ENTRA_CLIENT_ID=00000000-0000-0000-0000-000000000002"
    echo "ENTRA_CLIENT_SECRET=e2e-client-secret"
    echo "ENTRA_GROUP_MAP="
    for name in SESSION_SECRET API_GATEWAY_SECRET OPENWEBUI_JWT_SECRET WEBUI_SECRET_KEY; do echo "$name=$(openssl rand -hex 32)"; done
    echo "E2E_TLS_DIR=$E2E_WORK/tls"
  } >>"$E2E_WORK/env"
}

# make_test_certificate: a throwaway CA and a certificate for *.example.test and example.test,
# in Traefik's file-provider folder beside the shipped tls.yml (as test/helpers/test-ca.ts makes them).
make_test_certificate() {
  local dir="$E2E_WORK/tls" ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  mkdir -p "$dir"
  cp "$ROOT"/deploy/traefik/dynamic/*.yml "$dir/"
  (
    cd "$dir"
    openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.pem -days 2 -subj "/CN=MCP Proxy e2e CA (throwaway)" \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
    openssl req "${ec[@]}" -keyout leaf.key -out leaf.csr -subj "/CN=*.$DOMAIN" 2>/dev/null
    printf 'subjectAltName=DNS:*.%s,DNS:%s\nextendedKeyUsage=serverAuth\n' "$DOMAIN" "$DOMAIN" >leaf.ext
    openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out leaf.pem -days 2 -extfile leaf.ext 2>/dev/null
    chmod 644 leaf.key
    printf 'tls:\n  certificates:\n    - certFile: /etc/traefik/dynamic/leaf.pem\n      keyFile: /etc/traefik/dynamic/leaf.key\n' >test-certificate.yml
  )
}

# through_traefik <name> <path> [curl options]: curl as a client outside the server sees it:
# <name>.example.test resolved to the published 443 (or 80 with http://), TLS checked against the CA.
through_traefik() {
  local name=$1 path=$2 scheme=https port=443
  shift 2
  if [[ $path == http://* ]]; then scheme=http port=80 path=${path#http://}; fi
  curl -s --max-time 10 --resolve "$name.$DOMAIN:$port:127.0.0.1" --cacert "$E2E_WORK/tls/ca.pem" "$@" "$scheme://$name.$DOMAIN$path"
}

check_team_stack() {
  current_file=docker-compose.hetzner.yml
  compose_overrides=(-f test/e2e/team-tls.override.yml)
  step "$current_file: the team stack behind Traefik"
  compose build >"$E2E_WORK/build.log" 2>&1 || { cat "$E2E_WORK/build.log"; fail "build"; }
  compose up -d --wait --wait-timeout 180 >"$E2E_WORK/up.log" 2>&1 || { cat "$E2E_WORK/up.log"; fail "up"; }
  local unhealthy
  unhealthy=$(compose ps --format '{{.Name}} {{.Health}}' | grep -v ' healthy$' || true)
  [ -z "$unhealthy" ] || fail "not healthy: $unhealthy"
  ok "every service healthy ($(compose ps --format '{{.Name}}' | tr '\n' ' '))"

  local published
  published=$(for c in $(compose ps -q); do docker port "$c" | sed "s|^|$(docker inspect -f '{{.Name}}' "$c") |"; done | sort)
  [ "$(awk '{print $1, $2}' <<<"$published" | sort -u | tr '\n' ' ')" = "/mcp-traefik 443/tcp /mcp-traefik 80/tcp " ] || fail "published ports: $published"
  ok "only Traefik publishes ports, 80 and 443 (8000 is not published)"

  local answer status
  answer=$(through_traefik mcp /health)
  grep -q '"status"' <<<"$answer" || fail "https://mcp.$DOMAIN/health through Traefik: $answer"
  through_traefik mcp /health -v -o /dev/null 2>&1 | grep -q "subjectAltName: host \"mcp.$DOMAIN\" matched cert's \"\*.$DOMAIN\"" \
    || fail "the certificate served for mcp.$DOMAIN is not the test CA's wildcard"
  ok "https://mcp.$DOMAIN/health through Traefik, TLS verified against the CA: $answer"
  answer=$(through_traefik chat http:///c/1 -o /dev/null -w '%{http_code} %{redirect_url}')
  [[ $answer =~ ^(301|308)\ https://chat\.$DOMAIN/c/1$ ]] || fail "http://chat.$DOMAIN/c/1: $answer"
  ok "http:// is redirected to https:// ($answer)"
  grep -qi '^strict-transport-security: max-age=31536000' <<<"$(through_traefik mcp /health -D - -o /dev/null)" || fail "no HSTS header"
  ok "HSTS on what Traefik serves"

  # From outside with forged identity headers and no session: nothing reaches Open WebUI.
  local forged=(-H "X-User-Email: mallory@evil.example" -H "X-User-Groups: mcp-admins" -H "X-Gateway-Secret: forged" -H "X_User_Email: mallory@evil.example")
  status=$(through_traefik chat /forged "${forged[@]}" -H 'accept: text/html' -o "$E2E_WORK/forged.out" -w '%{http_code}')
  [ "$status" != 200 ] || fail "chat.$DOMAIN answered 200 to forged identity headers: $(cat "$E2E_WORK/forged.out")"
  status=$(through_traefik mcp /openapi.json "${forged[@]}" -o "$E2E_WORK/forged.out" -w '%{http_code}')
  if [ "$status" != 401 ]; then
    fail "mcp.$DOMAIN with forged identity headers: HTTP $status $(cat "$E2E_WORK/forged.out")"
  fi
  if docker logs open-webui 2>&1 | grep -q mallory; then fail "the forged identity reached Open WebUI: $(docker logs open-webui 2>&1 | grep mallory)"; fi
  ok "forged X-User-Email, X-User-Groups, X-Gateway-Secret from outside: chat and mcp refused ($status), Open WebUI saw none of them"

  answer=$(through_traefik chat /c/1 -H 'accept: text/html' -o /dev/null -w '%{http_code} %{redirect_url}')
  [[ $answer =~ ^30[27]\ https://auth\.$DOMAIN/login\?rd= ]] || fail "chat.$DOMAIN without a session: $answer"
  ok "a browser without a session is sent to sign in: $answer"
  status=$(through_traefik mcp /openapi.json -H 'authorization: Bearer not-a-token' -o /dev/null -w '%{http_code}')
  [ "$status" = 401 ] || fail "mcp.$DOMAIN with a bad token: HTTP $status"
  ok "an API client without a valid token gets 401 from mcp.$DOMAIN"
  status=$(through_traefik auth /health -o /dev/null -w '%{http_code}')
  [ "$status" = 200 ] || fail "auth.$DOMAIN/health without a session: HTTP $status"
  ok "auth.$DOMAIN is reached without a session (no ForwardAuth)"

  compose down -v --remove-orphans >/dev/null 2>&1
  [ -z "$(docker ps -aq --filter "label=com.docker.compose.project=$PROJECT")" ] || fail "containers left"
  ok "down -v: nothing left"
  current_file=
  compose_overrides=()
}

step "engine"
ensure_engine
ensure_standins "$HERE"
# The images install packages from the registry; CI's containers cannot reach it, so hand in ours.
mkdir -p "$ROOT/.docker-deps"
cp -al "$ROOT/node_modules" "$ROOT/.docker-deps/node_modules" 2>/dev/null || cp -a "$ROOT/node_modules" "$ROOT/.docker-deps/node_modules"

check_bootstrap

PORT=18000
write_env with-secrets
boot_and_check docker-compose.proxy-only.yml "$(sed -n 's/^MCP_API_KEY=//p' "$E2E_WORK/env")"
write_env
boot_and_check docker-compose.local-test.yml local-api-key
make_test_certificate
write_team_env
check_team_stack

step "docker compose config, every profile"
for file in docker-compose.hetzner.yml docker-compose.yml docker-compose.proxy-only.yml docker-compose.local-test.yml; do
  docker compose -f "$file" --env-file "$E2E_WORK/env" --profile '*' config -q || fail "$file"
  ok "$file"
done
for file in docker-compose.proxy-only.yml docker-compose.yml docker-compose.hetzner.yml; do
  missing=$(docker compose -f "$file" --env-file /dev/null config -q 2>&1 || true)
  grep -q "required variable .* is missing a value: set .* in .env" <<<"$missing" || fail "$file: a missing secret does not stop docker compose: $missing"
done
for name in DOMAIN ACME_EMAIL ENTRA_TENANT_ID ENTRA_CLIENT_ID ENTRA_CLIENT_SECRET SESSION_SECRET API_GATEWAY_SECRET OPENWEBUI_JWT_SECRET MCP_API_KEY WEBUI_SECRET_KEY; do
  grep -v "^$name=" "$E2E_WORK/env" >"$E2E_WORK/env-without"
  missing=$(docker compose -f docker-compose.hetzner.yml --env-file "$E2E_WORK/env-without" config -q 2>&1 || true)
  grep -q "required variable $name is missing a value" <<<"$missing" || fail "docker-compose.hetzner.yml without $name: $missing"
done
ok "a missing secret stops docker compose with a message (each of the team stack's too)"
check_monitoring "$E2E_WORK/env"
hetzner=$(docker compose -f docker-compose.hetzner.yml --env-file "$E2E_WORK/env" config --format json)
python3 - "$hetzner" <<'PY' || fail "docker-compose.hetzner.yml"
import json, sys
services = json.loads(sys.argv[1])["services"]
for name, service in services.items():
    if name != "traefik":
        assert not service.get("ports"), f"{name} is published"
    assert service.get("restart") == "unless-stopped", name
    assert service.get("mem_limit"), name
    assert service["logging"]["options"]["max-size"], name
assert sorted(p["target"] for p in services["traefik"]["ports"]) == [80, 443], services["traefik"]["ports"]
assert any(v["target"] == "/var/run/docker.sock" and v.get("read_only") for v in services["traefik"]["volumes"]), "docker.sock not read-only"
PY
ok "hetzner: restarts, log rotation, memory limits; only Traefik published (80, 443), the Docker socket read-only"

echo "$passed passed, 0 failed"
