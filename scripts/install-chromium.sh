#!/usr/bin/env bash
# Installs Debian's chromium for the editor's end-to-end tests (driven by playwright-core, never a downloaded
# browser build). Idempotent: does nothing when /usr/bin/chromium is already there. CI runs it as root.
set -euo pipefail

if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "noto color emoji"; then
  exit 0
fi

bash "$(dirname "$0")/apt-install.sh" chromium fonts-noto-cjk fonts-noto-color-emoji
/usr/bin/chromium --version
