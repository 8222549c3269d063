# shellcheck shell=bash
# Sourced by compose.sh: deploy/hetzner/bootstrap.sh run for real in a throwaway Debian 12
# container (with the network privileges ufw needs), its effects checked, then run again: nothing
# may change and the generated secrets must stay. Docker's own apt repository cannot be reached
# here, so the run installs Debian's docker.io (DOCKER_SOURCE=debian), and START=no (no Docker in
# Docker); booting the compose files is what the rest of compose.sh proves.

VPS=mcp-e2e-vps

vps() { docker exec "$VPS" "$@"; }

# has_lines <text> <regex>...: every regex matches a line of the text.
has_lines() {
  local text=$1
  shift
  for pattern in "$@"; do grep -qE -- "$pattern" <<<"$text" || return 1; done
}

run_bootstrap() {
  vps env REPO_URL=/src REPO_REF="$(git -C "$ROOT" rev-parse --abbrev-ref HEAD)" DOCKER_SOURCE=debian START=no \
    OPENAI_API_KEY=sk-e2e-openai PUBLIC_HOST=203.0.113.10 DOMAIN=example.test ACME_EMAIL=ops@example.test bash /src/deploy/hetzner/bootstrap.sh
}

# Everything the bootstrap is supposed to change, in one comparable text.
vps_state() {
  # shellcheck disable=SC2016 # expanded inside the container
  vps bash -c 'dpkg-query -W -f "\${Package} \${Version}\n" | sort; id deploy; cat /etc/ssh/sshd_config.d/*.conf;
    ufw status verbose; sha256sum /opt/mcp-proxy/.env; stat -c "%a %U" /opt/mcp-proxy/.env;
    cat /etc/apt/apt.conf.d/20auto-upgrades /etc/cron.d/mcp-proxy-backup; git -c safe.directory=/opt/mcp-proxy -C /opt/mcp-proxy rev-parse HEAD'
}

check_bootstrap() {
  step "bootstrap.sh in a fresh Debian 12 container"
  docker rm -f "$VPS" >/dev/null 2>&1 || true
  docker run -d --name "$VPS" --cap-add NET_ADMIN --cap-add NET_RAW -v "$ROOT:/src:ro" "$SLIM_IMAGE" sleep infinity >/dev/null
  run_bootstrap >"$E2E_WORK/bootstrap-1.log" 2>&1 || { cat "$E2E_WORK/bootstrap-1.log"; fail "bootstrap.sh"; }
  ok "bootstrap.sh ran ($(grep -c '^\[bootstrap\]' "$E2E_WORK/bootstrap-1.log") steps logged)"

  for package in docker.io git ufw unattended-upgrades openssh-server openssl cron; do
    vps dpkg -s "$package" >/dev/null 2>&1 || fail "package $package is not installed"
  done
  ok "packages: docker.io git ufw unattended-upgrades openssh-server openssl cron"
  vps id -nG deploy | grep -qw docker || fail "the deploy user is missing or not in the docker group"
  ok "user deploy, in group docker"
  local sshd
  sshd=$(vps bash -c 'mkdir -p /run/sshd && sshd -T')
  has_lines "$sshd" '^passwordauthentication no$' '^permitrootlogin without-password$' '^kbdinteractiveauthentication no$' \
    || fail "sshd: $(grep -E 'password|permitroot' <<<"$sshd")"
  ok "sshd: keys only, no root password login"
  local ufw
  ufw=$(vps ufw status verbose)
  has_lines "$ufw" 'Status: active' 'deny \(incoming\)' || fail "ufw: $ufw"
  for port in 22 80 443; do grep -qE "^$port/tcp +ALLOW IN +Anywhere" <<<"$ufw" || fail "ufw does not allow $port: $ufw"; done
  [ "$(grep -c 'ALLOW IN' <<<"$ufw")" = 6 ] || fail "ufw allows more than 22, 80, 443 (IPv4 and IPv6): $ufw"
  ok "ufw active: deny incoming, allow 22 80 443 (8000 closed: Traefik is the only way in)"
  vps grep -q 'Unattended-Upgrade "1"' /etc/apt/apt.conf.d/20auto-upgrades || fail "unattended upgrades"
  ok "unattended security upgrades enabled"
  local env
  env=$(vps cat /opt/mcp-proxy/.env)
  for name in MCP_API_KEY BRIDGE_TOKEN API_GATEWAY_SECRET WEBUI_SECRET_KEY SESSION_SECRET OPENWEBUI_JWT_SECRET; do grep -qE "^$name=[0-9a-f]{64}$" <<<"$env" || fail "$name was not generated"; done
  grep -qE '^POSTGRES_PASSWORD=[0-9a-f]{48}$' <<<"$env" || fail "POSTGRES_PASSWORD was not generated"
  grep -qE '^POSTGRES_APP_PASSWORD=[0-9a-f]{48}$' <<<"$env" || fail "POSTGRES_APP_PASSWORD was not generated"
  has_lines "$env" '^OPENAI_API_KEY=sk-e2e-openai$' '^PUBLIC_HOST=203\.0\.113\.10$' '^DOMAIN=example\.test$' '^ACME_EMAIL=ops@example\.test$' \
    || fail "the given values are not in .env"
  [ "$(vps stat -c '%a %U' /opt/mcp-proxy/.env)" = "600 deploy" ] || fail ".env is not private to deploy"
  ok ".env: generated secrets, the OpenAI key given, mode 600, owned by deploy"

  local before
  before=$(vps_state)
  run_bootstrap >"$E2E_WORK/bootstrap-2.log" 2>&1 || { cat "$E2E_WORK/bootstrap-2.log"; fail "bootstrap.sh, second run"; }
  grep -q 'keeping the existing /opt/mcp-proxy/.env' "$E2E_WORK/bootstrap-2.log" || fail "the second run did not keep .env"
  diff <(echo "$before") <(vps_state) >"$E2E_WORK/bootstrap.diff" || { cat "$E2E_WORK/bootstrap.diff"; fail "the second run changed the machine"; }
  ok "a second run changes nothing and keeps the secrets"
  docker rm -f "$VPS" >/dev/null
}
