#!/usr/bin/env bash
# A stand-in for Hetzner's hcloud CLI: records every call in $HCLOUD_STATE/calls.log and keeps the
# resources it "created" as files, so describe answers as the real CLI would on a second run.
set -euo pipefail
state=${HCLOUD_STATE:?}
echo "$*" >>"$state/calls.log"
resource=$1 verb=$2
shift 2
name=
args=("$@")
for i in "${!args[@]}"; do
  case "${args[$i]}" in
    --name) name=${args[$((i + 1))]} ;;
    --rules-file) cp "${args[$((i + 1))]}" "$state/rules.json" ;;
    --user-data-from-file) cp "${args[$((i + 1))]}" "$state/user-data.yaml" ;;
  esac
done
case "$verb" in
  describe) [ -e "$state/$resource-$1" ] || { echo "hcloud: $resource not found: $1" >&2; exit 1; } ;;
  create) touch "$state/$resource-$name" ;;
  ip) echo 203.0.113.10 ;;
  *) echo "hcloud stand-in: unexpected call: $resource $verb $*" >&2; exit 2 ;;
esac
