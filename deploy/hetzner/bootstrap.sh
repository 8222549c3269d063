#!/usr/bin/env bash
# Prepares a fresh Debian 12 or Ubuntu 22.04+ VPS for the proxy, and starts it. Run as root, by
# cloud-init (deploy/hetzner/cloud-init.yaml) or by hand on an existing server:
#   REPO_URL=https://github.com/<you>/mcp-proxy.git bash bootstrap.sh
# Safe to re-run: every step checks before it acts, and an existing .env and its secrets are kept.
#
# Settings (environment):
#   REPO_URL, REPO_REF (main)      what to clone into APP_DIR (/opt/mcp-proxy)
#   DEPLOY_USER (deploy)           the non-root user that owns the checkout and may run docker
#   OPENAI_API_KEY, GITHUB_TOKEN   written into a new .env (asked for when run in a terminal)
#   PUBLIC_HOST                    the server's IP or domain (default: its first address)
#   DOMAIN, ACME_EMAIL, ENTRA_*    written into a new .env: the team stack's names, Let's Encrypt contact
#                                  and Entra ID app (docs/entra-id.md); the team stack starts once the
#                                  names point at this server (DNS_WAIT_SECONDS, 900)
#   COMPOSE_FILE                   what to start (default: docker-compose.hetzner.yml, the team stack,
#                                  once .env has a DOMAIN; docker-compose.proxy-only.yml until then)
#   OPEN_PORT_8000 (no)            yes: ufw also allows 8000 (the proxy alone, reached without Traefik)
#   START (yes)
#   DOCKER_SOURCE (docker)         "docker": Docker's apt repository (Engine + Compose plugin);
#                                  "debian": Debian's docker.io (what the offline tests can reach)
set -euo pipefail

APP_DIR=${APP_DIR:-/opt/mcp-proxy}
REPO_REF=${REPO_REF:-main}
DEPLOY_USER=${DEPLOY_USER:-deploy}
COMPOSE_FILE=${COMPOSE_FILE:-}
OPEN_PORT_8000=${OPEN_PORT_8000:-no}
START=${START:-yes}
DOCKER_SOURCE=${DOCKER_SOURCE:-docker}
export DEBIAN_FRONTEND=noninteractive

log() { printf '[bootstrap] %s\n' "$*"; }
die() { printf '[bootstrap] error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root"
# shellcheck disable=SC1091 # the system's own release file
. /etc/os-release
case "$ID" in debian | ubuntu) ;; *) die "this script supports Debian and Ubuntu, not $ID" ;; esac

install_packages() {
  local missing=()
  for package in "$@"; do dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_docker() {
  if [ "$DOCKER_SOURCE" = debian ]; then
    install_packages docker.io
    return
  fi
  if [ ! -f /etc/apt/sources.list.d/docker.list ]; then
    log "adding Docker's apt repository"
    install -m 0755 -d /etc/apt/keyrings
    curl -fsSL "https://download.docker.com/linux/$ID/gpg" -o /etc/apt/keyrings/docker.asc
    chmod a+r /etc/apt/keyrings/docker.asc
    echo "deb [arch=$(dpkg --print-architecture) signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/$ID $VERSION_CODENAME stable" \
      >/etc/apt/sources.list.d/docker.list
    apt-get update -qq
  fi
  install_packages docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then systemctl enable --now docker >/dev/null; fi
}

create_deploy_user() {
  if ! id "$DEPLOY_USER" >/dev/null 2>&1; then
    log "creating user $DEPLOY_USER"
    useradd --create-home --shell /bin/bash "$DEPLOY_USER"
  fi
  getent group docker >/dev/null && usermod -aG docker "$DEPLOY_USER"
  local home keys
  home=$(getent passwd "$DEPLOY_USER" | cut -d: -f6)
  keys=/root/.ssh/authorized_keys
  if [ -s "$keys" ] && [ ! -s "$home/.ssh/authorized_keys" ]; then
    install -d -m 700 -o "$DEPLOY_USER" -g "$DEPLOY_USER" "$home/.ssh"
    install -m 600 -o "$DEPLOY_USER" -g "$DEPLOY_USER" "$keys" "$home/.ssh/authorized_keys"
  fi
}

harden_ssh() {
  local conf=/etc/ssh/sshd_config.d/60-mcp-proxy.conf
  cat >"$conf.new" <<'SSHD'
# Written by mcp-proxy's bootstrap.sh: keys only, no root password login.
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
SSHD
  if cmp -s "$conf.new" "$conf"; then rm "$conf.new"; return; fi
  mv "$conf.new" "$conf"
  mkdir -p /run/sshd
  sshd -t || die "sshd rejects its configuration"
  log "ssh: keys only, no root password login"
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then systemctl reload ssh 2>/dev/null || systemctl reload sshd 2>/dev/null || true; fi
}

enable_firewall() {
  local ports=(22/tcp 80/tcp 443/tcp)
  [ "$OPEN_PORT_8000" = yes ] && ports+=(8000/tcp)
  ufw default deny incoming >/dev/null
  ufw default allow outgoing >/dev/null
  for port in "${ports[@]}"; do ufw allow "$port" >/dev/null; done
  [ "$OPEN_PORT_8000" = yes ] || ufw delete allow 8000/tcp >/dev/null 2>&1 || true
  ufw --force enable >/dev/null
  log "firewall: allowing ${ports[*]}"
}

enable_security_upgrades() {
  cat >/etc/apt/apt.conf.d/20auto-upgrades <<'APT'
APT::Periodic::Update-Package-Lists "1";
APT::Periodic::Unattended-Upgrade "1";
APT
}

clone_repository() {
  if [ -d "$APP_DIR/.git" ]; then return; fi
  [ -n "${REPO_URL:-}" ] || die "REPO_URL is not set and $APP_DIR holds no checkout"
  log "cloning $REPO_URL ($REPO_REF) into $APP_DIR"
  git clone --quiet --branch "$REPO_REF" "$REPO_URL" "$APP_DIR"
  chown -R "$DEPLOY_USER:$DEPLOY_USER" "$APP_DIR"
}

# set_env <file> <name> <value>: replaces the NAME= line of a .env file.
set_env() {
  local escaped=${3//\\/\\\\}
  escaped=${escaped//&/\\&}
  escaped=${escaped//|/\\|}
  sed -i "s|^$2=.*|$2=$escaped|" "$1"
}

ask() {
  local name=$1 value=${!1:-}
  if [ -z "$value" ] && [ -t 0 ]; then read -r -s -p "$name (empty to skip): " value && echo >&2; fi
  printf '%s' "$value"
}

# The secrets bootstrap.sh generates, with their length in bytes (printed as hex).
GENERATED_SECRETS=(MCP_API_KEY:32 BRIDGE_TOKEN:32 API_GATEWAY_SECRET:32 WEBUI_SECRET_KEY:32 SESSION_SECRET:32 OPENWEBUI_JWT_SECRET:32
  POSTGRES_PASSWORD:24 POSTGRES_APP_PASSWORD:24 GRAFANA_ADMIN_PASSWORD:16)

write_env_file() {
  local env="$APP_DIR/.env" entry name
  if [ -f "$env" ]; then
    log "keeping the existing $env and its secrets"
    # Secrets added by later versions (the database role's password, the team stack's session
    # and token secrets): an upgrade gets the missing ones generated, the others are kept.
    for entry in "${GENERATED_SECRETS[@]}"; do
      name=${entry%%:*}
      if ! grep -qE "^$name=.+" "$env"; then
        log "adding $name to $env"
        sed -i "/^$name=/d" "$env"
        echo "$name=$(openssl rand -hex "${entry#*:}")" >>"$env"
      fi
    done
    return
  fi
  log "writing $env with generated secrets"
  install -m 600 -o "$DEPLOY_USER" -g "$DEPLOY_USER" "$APP_DIR/.env.hetzner.example" "$env"
  for entry in "${GENERATED_SECRETS[@]}"; do set_env "$env" "${entry%%:*}" "$(openssl rand -hex "${entry#*:}")"; done
  for name in DOMAIN ACME_EMAIL ENTRA_TENANT_ID ENTRA_CLIENT_ID ENTRA_CLIENT_SECRET ENTRA_GROUP_MAP; do set_env "$env" "$name" "${!name:-}"; done
  set_env "$env" OPENAI_API_KEY "$(ask OPENAI_API_KEY)"
  set_env "$env" GITHUB_TOKEN "$(ask GITHUB_TOKEN)"
  set_env "$env" PUBLIC_HOST "${PUBLIC_HOST:-$(hostname -I 2>/dev/null | awk '{print $1}')}"
}

schedule_backups() {
  cat >/etc/cron.d/mcp-proxy-backup <<CRON
# Nightly dump of the proxy's database, kept ${BACKUP_KEEP_DAYS:-14} days (scripts/backup.sh).
30 3 * * * root cd $APP_DIR && BACKUP_KEEP_DAYS=${BACKUP_KEEP_DAYS:-14} scripts/backup.sh >>/var/log/mcp-proxy-backup.log 2>&1
CRON
}

env_value() { sed -n "s/^$1=//p" "$APP_DIR/.env" | tail -n 1; }

# Let's Encrypt reaches chat., mcp. and auth.<domain> over the internet: until they point here, its
# challenges fail. Waits up to DNS_WAIT_SECONDS (15 minutes) for each name, then starts anyway.
wait_for_dns() {
  local domain=$1 deadline=$((SECONDS + ${DNS_WAIT_SECONDS:-900})) here name
  here=" $(hostname -I 2>/dev/null) "
  for name in chat mcp auth; do
    until getent ahosts "$name.$domain" | awk '{print $1}' | sort -u | while read -r address; do [[ $here == *" $address "* ]] && echo yes; done | grep -q yes; do
      if [ "$SECONDS" -ge "$deadline" ]; then
        log "$name.$domain does not point at this server yet: starting anyway; once it does, run: docker compose -f docker-compose.hetzner.yml restart traefik"
        return 0
      fi
      log "waiting for $name.$domain to point at this server ($here)"
      sleep 15
    done
  done
}

start_proxy() {
  local file=$COMPOSE_FILE domain
  domain=$(env_value DOMAIN)
  if [ -z "$file" ] && [ -n "$domain" ]; then file=docker-compose.hetzner.yml; fi
  if [ -z "$file" ]; then
    file=docker-compose.proxy-only.yml
    log "DOMAIN is empty in .env: starting the proxy alone (port 8000). For the team stack, fill in DOMAIN,"
    log "ACME_EMAIL and ENTRA_* (docs/deploy-hetzner.md, Phase 2), then: docker compose -f docker-compose.hetzner.yml up -d"
  fi
  [ "$file" = docker-compose.proxy-only.yml ] || wait_for_dns "$domain"
  log "starting: docker compose -f $file up -d"
  (cd "$APP_DIR" && docker compose -f "$file" up -d --build --wait)
  if [ "$file" = docker-compose.proxy-only.yml ]; then
    local port
    port=$(env_value MCP_PROXY_PORT)
    "$APP_DIR/scripts/smoke-test.sh" "http://127.0.0.1:${port:-8000}" "$(env_value MCP_API_KEY)"
  else
    log "every service is healthy; https://chat.$domain once DNS points here and Let's Encrypt has answered"
  fi
}

install_packages ca-certificates curl git openssl ufw unattended-upgrades openssh-server cron iproute2
install_docker
create_deploy_user
harden_ssh
enable_firewall
enable_security_upgrades
clone_repository
write_env_file
schedule_backups
if [ "$START" = yes ]; then start_proxy; else log "START=$START: not starting the proxy"; fi
log "done"
