#!/usr/bin/env bash
# apt-get install of Debian packages, as root or through sudo. Exit code 3: neither is available.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "apt-install: need root (or sudo) to install: $*" >&2
    exit 3
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
