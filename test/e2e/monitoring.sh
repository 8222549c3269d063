# shellcheck shell=bash
# Sourced by compose.sh: the `monitoring` profile checked without pulling its images (no registry
# is reachable): Prometheus' own promtool on deploy/monitoring/prometheus.yml (from Debian's
# prometheus package, scripts/prometheus-bin.sh, when promtool is not installed), a broken copy
# refused, the Grafana dashboard and provisioning parsed, and the profile's services in `docker
# compose config`: Prometheus unpublished with the key as a secret, Grafana on the host's loopback
# only. test/monitoring/prometheus.test.ts (npm run test:deploy) runs the dashboard's queries live.

# promtool_bin: a promtool on PATH, or the one scripts/prometheus-bin.sh unpacks beside Prometheus.
promtool_bin() {
  if command -v promtool >/dev/null; then
    command -v promtool
    return
  fi
  local prometheus
  prometheus=$(bash "$ROOT/scripts/prometheus-bin.sh") || fail "cannot get promtool (scripts/prometheus-bin.sh)"
  echo "$(dirname "$prometheus")/promtool"
}

# check_monitoring <env file>
check_monitoring() {
  local env_file=$1 promtool config
  step "the monitoring profile: Prometheus' config, the Grafana dashboard, nothing published"
  promtool=$(promtool_bin)
  # --syntax-only: the key's file exists only inside the container (/run/secrets/mcp_api_key).
  "$promtool" check config --syntax-only deploy/monitoring/prometheus.yml >/dev/null || fail "promtool refuses deploy/monitoring/prometheus.yml"
  sed 's/scrape_interval: 15s/scrape_interval: 15 seconds/' deploy/monitoring/prometheus.yml >"$E2E_WORK/prometheus-broken.yml"
  if "$promtool" check config --syntax-only "$E2E_WORK/prometheus-broken.yml" >/dev/null 2>&1; then fail "promtool accepts a broken config"; fi
  ok "promtool check config (and a broken copy refused)"
  python3 - "$ROOT/deploy/monitoring" <<'PY' || fail "the Grafana dashboard or provisioning"
import json, sys
from pathlib import Path
root = Path(sys.argv[1])
dashboard = json.loads((root / "grafana/dashboards/mcp-proxy.json").read_text())
datasource = (root / "grafana/provisioning/datasources/prometheus.yml").read_text()
exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
assert dashboard["uid"] and len(dashboard["panels"]) >= 5, "panels"
assert all(p["datasource"]["uid"] in datasource for p in dashboard["panels"]), "a panel's data source is not provisioned"
for metric in ["mcp_proxy_tool_calls_total", "mcp_server_operation_duration_seconds_bucket", "mcp_proxy_stdio_restarts_total"]:
    assert any(metric in e for e in exprs), metric
assert any("histogram_quantile(0.99" in e for e in exprs) and any("histogram_quantile(0.5" in e for e in exprs), "p50/p99"
PY
  ok "the dashboard parses, uses the provisioned data source, and charts calls, errors, p50/p99 and restarts"
  for file in docker-compose.yml docker-compose.hetzner.yml; do
    docker compose -f "$file" --env-file "$env_file" --profile monitoring config -q || fail "$file --profile monitoring"
    config=$(docker compose -f "$file" --env-file "$env_file" --profile monitoring config --format json)
    python3 - "$config" <<'PY' || fail "$file: the monitoring services"
import json, sys
services = json.loads(sys.argv[1])["services"]
prometheus, grafana = services["prometheus"], services["grafana"]
assert prometheus["image"].startswith("prom/prometheus:v3.") and grafana["image"].startswith("grafana/grafana:"), "pinned images"
assert not prometheus.get("ports"), "Prometheus is published"
assert [s["source"] for s in prometheus["secrets"]] == ["mcp_api_key"], prometheus.get("secrets")
assert grafana["ports"] and all(p.get("host_ip") == "127.0.0.1" for p in grafana["ports"]), grafana["ports"]
assert prometheus["profiles"] == ["monitoring"] and grafana["profiles"] == ["monitoring"]
PY
    plain=$(docker compose -f "$file" --env-file "$env_file" config --services)
    if grep -qE '^(prometheus|grafana)$' <<<"$plain"; then fail "$file: monitoring runs without its profile"; fi
    ok "$file --profile monitoring: Prometheus unpublished with the key as a secret, Grafana on 127.0.0.1 only, both only in the profile"
  done
}
