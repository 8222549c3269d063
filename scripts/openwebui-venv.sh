#!/usr/bin/env bash
# Makes sure the virtualenv the Open WebUI suite runs from holds open-webui 0.12.4, and prints its
# path. The first install takes minutes and about 7 GB; when it is already there this does nothing.
#   OPENWEBUI_VENV  the virtualenv (default .build/openwebui-venv, relative to the repository)
set -euo pipefail

VERSION=0.12.4
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${OPENWEBUI_VENV:-.build/openwebui-venv}
[[ $VENV == /* ]] || VENV=$ROOT/$VENV

installed() {
  [[ -x $VENV/bin/open-webui ]] || return 1
  [[ $("$VENV/bin/pip" show open-webui 2>/dev/null | sed -n 's/^Version: //p') == "$VERSION" ]]
}

if ! installed; then
  echo "installing open-webui $VERSION into $VENV" >&2
  python3 -m venv "$VENV"
  # Naming torch's CPU build (a local wheel pip finds) keeps the CUDA packages out.
  "$VENV/bin/pip" install --quiet "torch==2.13.0" "open-webui==$VERSION"
fi
echo "$VENV"
