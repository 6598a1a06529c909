#!/usr/bin/env bash
# Installs a Node.js binary from the npm registry (package `node-linux-<arch>`, which carries bin/node in its
# tarball, no install script) into a cache directory OUTSIDE the repo, and prints the binary's path on stdout:
#   ${JOURNEYS_CACHE_DIR:-~/.cache/journeys}/node-<version>/node_modules/node-linux-<arch>/bin/node
# Version: the first argument, else $NODE24_VERSION, else the "node" pin of test/bench/n8n/versions.json (the Node 24
# that .ci/run runs the unit tests on and that the n8n benchmark peer runs on: one download serves both).
# Idempotent: skipped when that version is already there; a failed install leaves no half-made directory.
# Messages go to stderr, so `node24=$(bash scripts/install-node.sh)` captures only the path.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pin() { sed -n "s/^ *\"$1\": *\"\([^\"]*\)\".*/\1/p" "$ROOT/test/bench/n8n/versions.json" | head -1; }
NODE_VERSION="${1:-${NODE24_VERSION:-$(pin node)}}"
CACHE="${JOURNEYS_CACHE_DIR:-$HOME/.cache/journeys}"
case "$(uname -m)" in
  x86_64 | amd64) ARCH=x64 ;;
  aarch64 | arm64) ARCH=arm64 ;;
  *) echo "install-node: unsupported machine $(uname -m)" >&2; exit 1 ;;
esac
NODE_PKG="node-linux-$ARCH"
NODE_DIR="$CACHE/node-$NODE_VERSION"
NODE_BIN="$NODE_DIR/node_modules/$NODE_PKG/bin/node"
say() { echo "[install-node] $*" >&2; }

# The `node` package installs its binary from a preinstall script (blocked by npm 11 by default);
# `node-linux-<arch>` carries bin/node (and include/node headers) in its tarball, no script needed.
if [ -x "$NODE_BIN" ] && [ "$("$NODE_BIN" --version)" = "v$NODE_VERSION" ]; then
  say "node v$NODE_VERSION already at $NODE_BIN"
else
  say "installing $NODE_PKG@$NODE_VERSION into $NODE_DIR"
  mkdir -p "$CACHE"
  tmp="$NODE_DIR.partial.$$"
  rm -rf "$tmp" && mkdir -p "$tmp"
  echo '{ "name": "journeys-node-cache", "private": true }' > "$tmp/package.json"
  (cd "$tmp" && npm install --no-audit --no-fund --loglevel=error "$NODE_PKG@$NODE_VERSION" >&2)
  rm -rf "$NODE_DIR" && mv "$tmp" "$NODE_DIR"
  say "node: $("$NODE_BIN" --version)"
fi
echo "$NODE_BIN"
