#!/usr/bin/env bash
# Installs Debian's chromium for the editor's end-to-end tests (driven by playwright-core, never a downloaded
# browser build). Idempotent: does nothing when /usr/bin/chromium is already there. CI runs it as root.
set -euo pipefail

if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "noto color emoji"; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-chromium: need root (or sudo) to apt-get install chromium" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk fonts-noto-color-emoji >/dev/null
/usr/bin/chromium --version
