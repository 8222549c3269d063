#!/usr/bin/env bash
# Smoke test of a running proxy: health, servers, the OpenAPI document and one tool call.
#   scripts/smoke-test.sh <base-url> [api-key]
#   e.g. scripts/smoke-test.sh http://203.0.113.10:8000 "$MCP_API_KEY"
# SMOKE_TOOL (default filesystem/list_directory) and SMOKE_ARGS (default {"path":"."}) pick the call.
# Needs only bash and curl. Exits non-zero on the first failure.
set -uo pipefail

base=${1:?usage: smoke-test.sh <base-url> [api-key]}
base=${base%/}
key=${2:-}
tool=${SMOKE_TOOL:-filesystem/list_directory}
args=${SMOKE_ARGS:-'{"path":"."}'}
auth=()
[ -n "$key" ] && auth=(-H "Authorization: Bearer $key")
failures=0

# check <name> <expected status> <pattern the body must contain> <curl args...>
check() {
  local name=$1 want=$2 pattern=$3
  shift 3
  local body status
  body=$(curl -sS --max-time 20 -w '\n%{http_code}' "${auth[@]}" "$@" 2>&1) || true
  status=${body##*$'\n'}
  body=${body%$'\n'*}
  if [ "$status" = "$want" ] && grep -q -- "$pattern" <<<"$body"; then
    printf '  ok    %-34s HTTP %s  %s\n' "$name" "$status" "$(head -c 100 <<<"$body" | tr '\n' ' ')"
  else
    printf '  FAIL  %-34s HTTP %s (wanted %s with "%s")\n        %s\n' "$name" "$status" "$want" "$pattern" "$(head -c 400 <<<"$body")"
    failures=$((failures + 1))
  fi
}

echo "Smoke test of $base"
check "GET /health" 200 '"status":"\(ok\|degraded\)"' "$base/health"
check "GET /servers" 200 '"servers":\[' "$base/servers"
check "GET /openapi.json" 200 '"openapi":"3.1' "$base/openapi.json"
check "POST /$tool" 200 '.' -X POST -H 'content-type: application/json' -d "$args" "$base/$tool"

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
