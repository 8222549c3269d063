#!/usr/bin/env bash
# Creates the proxy's server on Hetzner Cloud with the hcloud CLI: an SSH key, a Cloud Firewall
# (22, 80 and 443: Traefik is the only way in; OPEN_PORT_8000=yes adds the proxy's own port for
# running it alone without Traefik) and the server, whose cloud-init user data bootstraps
# and starts the proxy. Idempotent: what exists already is left as it is.
#   export HCLOUD_TOKEN=...   # a read/write API token of the project
#   REPO_URL=https://github.com/<you>/mcp-proxy.git deploy/hetzner/provision.sh
#
# Settings (environment), with defaults:
#   SERVER_NAME=mcp-proxy  SERVER_TYPE=cx23 (2 vCPU, 4 GB; cx33, 8 GB, for the team stack with Open
#   WebUI: see docker-compose.hetzner.yml)  SERVER_IMAGE=debian-12  LOCATION=nbg1
#   SSH_PUBLIC_KEY=~/.ssh/id_ed25519.pub  FIREWALL_NAME=mcp-proxy  OPEN_PORT_8000=no
#   REPO_URL (required), REPO_REF=main
#   For the team stack, so that the first boot brings it up (docs/deploy-hetzner.md, Phase 2):
#   DOMAIN, ACME_EMAIL, ENTRA_TENANT_ID, ENTRA_CLIENT_ID, ENTRA_CLIENT_SECRET, ENTRA_GROUP_MAP
#   Optional: OPENAI_API_KEY, GITHUB_TOKEN. The secrets among these travel in the user data, which
#   the project's members can read; leave them empty to set them over SSH instead.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

name=${SERVER_NAME:-mcp-proxy}
type=${SERVER_TYPE:-cx23}
image=${SERVER_IMAGE:-debian-12}
location=${LOCATION:-nbg1}
key_file=${SSH_PUBLIC_KEY:-$HOME/.ssh/id_ed25519.pub}
firewall=${FIREWALL_NAME:-mcp-proxy}
repo=${REPO_URL:?set REPO_URL to the repository the server clones}
ref=${REPO_REF:-main}
command -v hcloud >/dev/null || { echo "provision: install the hcloud CLI first (https://github.com/hetznercloud/cli)" >&2; exit 1; }

# What the server's bootstrap writes into its .env (cloud-init.yaml has a line for each).
PASSED_ON=(OPENAI_API_KEY GITHUB_TOKEN DOMAIN ACME_EMAIL ENTRA_TENANT_ID ENTRA_CLIENT_ID ENTRA_CLIENT_SECRET ENTRA_GROUP_MAP)
# A value for the user data's env file, which bash sources inside single quotes, as sed's replacement.
sed_escaped() {
  local value=${1//\'/\'\\\'\'}
  value=${value//\\/\\\\}
  value=${value//&/\\&}
  printf '%s' "${value//|/\\|}"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if hcloud ssh-key describe "$name" >/dev/null 2>&1; then
  echo "ssh key $name: exists"
else
  [ -f "$key_file" ] || { echo "provision: no public key at $key_file (set SSH_PUBLIC_KEY)" >&2; exit 1; }
  hcloud ssh-key create --name "$name" --public-key-from-file "$key_file"
fi

if hcloud firewall describe "$firewall" >/dev/null 2>&1; then
  echo "firewall $firewall: exists"
else
  ports=(22 80 443)
  [ "${OPEN_PORT_8000:-no}" = yes ] && ports+=(8000)
  {
    echo "["
    for i in "${!ports[@]}"; do
      [ "$i" -gt 0 ] && echo ","
      printf '  {"direction": "in", "protocol": "tcp", "port": "%s", "source_ips": ["0.0.0.0/0", "::/0"], "description": "mcp-proxy %s"}' "${ports[$i]}" "${ports[$i]}"
    done
    echo "]"
  } >"$work/rules.json"
  hcloud firewall create --name "$firewall" --rules-file "$work/rules.json"
fi

if hcloud server describe "$name" >/dev/null 2>&1; then
  echo "server $name: exists"
else
  fill=(-e "s|@REPO_URL@|$(sed_escaped "$repo")|" -e "s|@REPO_REF@|$(sed_escaped "$ref")|")
  for setting in "${PASSED_ON[@]}"; do fill+=(-e "s|@$setting@|$(sed_escaped "${!setting:-}")|"); done
  sed "${fill[@]}" "$here/cloud-init.yaml" >"$work/user-data.yaml"
  hcloud server create --name "$name" --type "$type" --image "$image" --location "$location" \
    --ssh-key "$name" --firewall "$firewall" --user-data-from-file "$work/user-data.yaml"
fi

ip=$(hcloud server ip "$name")
echo "server $name: $ip"
echo "next: ssh root@$ip tail -f /var/log/mcp-proxy-bootstrap.log   (the bootstrap takes a few minutes)"
if [ -n "${DOMAIN:-}" ]; then
  echo "now: point chat.$DOMAIN, mcp.$DOMAIN and auth.$DOMAIN at $ip; the team stack starts once they do"
else
  echo "then: point chat., mcp. and auth.<your domain> at $ip, fill in DOMAIN, ACME_EMAIL and ENTRA_* in /opt/mcp-proxy/.env"
fi
echo "      and start the team stack (docs/deploy-hetzner.md, Phase 2). Until then the proxy runs alone on the"
echo "      server's port 8000: ssh -L 8000:127.0.0.1:8000 deploy@$ip, then scripts/smoke-test.sh http://127.0.0.1:8000 <MCP_API_KEY>"
