#!/usr/bin/env bash
# Makes sure .build/prometheus holds the Prometheus server (and promtool) from Debian's prometheus
# package, unpacked without installing it (apt-get download, dpkg -x), and prints the server's
# path. Does nothing when it is already there. Debian bookworm ships 2.42; the compose files pin
# the 3.x image, which no registry here can give (see docs/operations.md, "The monitoring profile").
#   PROMETHEUS_DIR  where to unpack (default .build/prometheus, relative to the repository)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=${PROMETHEUS_DIR:-.build/prometheus}
[[ $DIR == /* ]] || DIR=$ROOT/$DIR
BINARY=$DIR/usr/bin/prometheus

if [[ ! -x $BINARY ]]; then
  echo "unpacking Debian's prometheus package into $DIR" >&2
  download=$(mktemp -d)
  trap 'rm -rf "$download"' EXIT
  # apt's stderr only when it fails: as root it also warns that the _apt user cannot write here.
  fetch() { (cd "$download" && apt-get download prometheus >/dev/null 2>apt.log); }
  # A machine that never ran apt-get update (a fresh container) has no package lists yet.
  fetch || { apt-get update -qq >/dev/null 2>&1 && fetch; } || {
    cat "$download/apt.log" >&2
    echo "cannot download Debian's prometheus package (apt-get download prometheus)" >&2
    exit 1
  }
  mkdir -p "$DIR"
  dpkg -x "$download"/prometheus_*.deb "$DIR"
fi
echo "$BINARY"
