#!/usr/bin/env bash
# Makes sure the virtualenv the fuzz run (npm run test:fuzz) uses holds schemathesis at the pinned
# version, and prints its path. Installing takes under a minute; when it is there this does nothing.
#   SCHEMATHESIS_VENV  the virtualenv (default .build/schemathesis-venv, relative to the repository)
#   PYTHON             the interpreter to make it with (default: the newest python3.13/3.12 found,
#                      pyenv's included). On Python 3.11 hypothesis crashes in CPython's ast module
#                      ("AST constructor recursion depth mismatch") while generating the admin bodies.
set -euo pipefail

VERSION=4.32.5
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${SCHEMATHESIS_VENV:-.build/schemathesis-venv}
[[ $VENV == /* ]] || VENV=$ROOT/$VENV

installed() {
  [[ -x $VENV/bin/st ]] || return 1
  [[ $("$VENV/bin/pip" show schemathesis 2>/dev/null | sed -n 's/^Version: //p') == "$VERSION" ]]
}

runs_12_or_later() {
  "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null
}

find_python() {
  local candidates=(python3.13 python3.12)
  if command -v pyenv >/dev/null; then
    local root
    root=$(pyenv root)
    candidates+=("$root"/versions/3.13*/bin/python3 "$root"/versions/3.12*/bin/python3)
  fi
  for python in "${candidates[@]}"; do
    if runs_12_or_later "$python"; then echo "$python"; return; fi
  done
  echo "the fuzz run needs Python 3.12 or later (python3.13 or python3.12 on PATH, or PYTHON=...)" >&2
  return 1
}

if ! installed; then
  PYTHON=${PYTHON:-$(find_python)}
  echo "installing schemathesis $VERSION into $VENV (with $PYTHON)" >&2
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$VERSION"
fi
echo "$VENV"
