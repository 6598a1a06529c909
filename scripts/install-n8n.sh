#!/usr/bin/env bash
# Installs the n8n peer used by the benchmark (test/bench/n8n-peer.ts): a Node 24 binary and n8n, both from
# the npm registry, into a cache directory OUTSIDE the repo:
#   ${JOURNEYS_CACHE_DIR:-~/.cache/journeys}/node-<version>/node_modules/node-linux-<arch>/bin/node
#   ${JOURNEYS_CACHE_DIR:-~/.cache/journeys}/n8n-<version>/node_modules/n8n/bin/n8n
# Versions come from test/bench/n8n/versions.json (override with N8N_VERSION / N8N_NODE_VERSION).
# Idempotent: each part is skipped when already installed; a failed install leaves no half-made directory.
# Never touches the repo's package.json or lockfile, never commits anything.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSIONS="$ROOT/test/bench/n8n/versions.json"
pin() { sed -n "s/^ *\"$1\": *\"\([^\"]*\)\".*/\1/p" "$VERSIONS" | head -1; }
N8N_VERSION="${N8N_VERSION:-$(pin n8n)}"
NODE_VERSION="${N8N_NODE_VERSION:-$(pin node)}"
CACHE="${JOURNEYS_CACHE_DIR:-$HOME/.cache/journeys}"
N8N_DIR="$CACHE/n8n-$N8N_VERSION"
N8N_BIN="$N8N_DIR/node_modules/n8n/bin/n8n"
say() { echo "[install-n8n] $*"; }
mkdir -p "$CACHE"

# 1. Node 24, from the npm registry (scripts/install-node.sh, shared with .ci/run's unit tests on Node 24).
NODE_BIN="$(bash "$ROOT/scripts/install-node.sh" "$NODE_VERSION")"
NODE_HOME="$(dirname "$(dirname "$NODE_BIN")")" # …/node-linux-<arch>: its bin/ and include/ for native builds

# 2. n8n, installed by npm running on that Node 24 (n8n's engines field is node >= 24).
#    Dependency install scripts: this npm (11, strict-allow-scripts=false) RUNS unreviewed ones with a notice, and
#    one of n8n's 16 (@confluentinc/kafka-javascript: node-gyp build of librdkafka, needs libcurl/zstd dev
#    headers) fails and rolls back the whole install. So: install with --ignore-scripts, then approve and
#    rebuild only sqlite3 (n8n's default DB driver; its prebuilt download is unreachable here, so it compiles
#    its bundled SQLite with node-gyp: ~2 min on 2 cores, needs python3, make, g++). Everything else n8n runs
#    without for this flow (isolated-vm, kafka, oracledb, sentry profilers, ssh2/cpu-features, msgpackr-extract,
#    @parcel/watcher are optional or unused; @scarf/scarf and agent-browser's scripts phone home or download).
#    Native builds compile against Node 24's headers (npm_config_nodedir), not the machine's Node 20 (~/.npmrc).
if [ -x "$N8N_BIN" ] && [ -f "$N8N_DIR/.installed" ]; then
  say "n8n $N8N_VERSION already at $N8N_BIN"
else
  say "installing n8n@$N8N_VERSION into $N8N_DIR (about 3 GB, 5-10 minutes)"
  tmp="$N8N_DIR.partial.$$"
  rm -rf "$tmp" && mkdir -p "$tmp"
  echo '{ "name": "journeys-n8n-cache", "private": true }' > "$tmp/package.json"
  (
    cd "$tmp"
    export PATH="$NODE_HOME/bin:$PATH"
    export npm_config_nodedir="$NODE_HOME"
    say "npm install --ignore-scripts --save-exact n8n@$N8N_VERSION"
    npm install --no-audit --no-fund --loglevel=error --ignore-scripts --save-exact "n8n@$N8N_VERSION"
    say "approving and building sqlite3 (node-gyp, compiles SQLite)"
    npm install-scripts approve sqlite3 --loglevel=error
    npm rebuild sqlite3 --foreground-scripts --loglevel=error >"$tmp/sqlite3-build.log" 2>&1 || { tail -30 "$tmp/sqlite3-build.log" >&2; exit 1; }
    "$NODE_HOME/bin/node" -e "require('sqlite3')" || { echo "install-n8n: sqlite3 does not load" >&2; exit 1; }
  )
  rm -rf "$N8N_DIR" && mv "$tmp" "$N8N_DIR"
  touch "$N8N_DIR/.installed"
fi

# 3. Smoke check: the CLI loads on Node 24.
say "checking: n8n --version"
"$NODE_BIN" "$N8N_BIN" --version
say "done: node $NODE_BIN, n8n $N8N_BIN"
