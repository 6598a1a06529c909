#!/usr/bin/env bash
# Installs Debian's PostgreSQL server binaries, the backend of the embedded FerretDB store (see README "The embedded
# store"). Idempotent: does nothing when a postgres server binary is already there. Only the binaries are needed:
# Journeys runs its own private cluster under its data dir, never the system one.
set -euo pipefail

if [ -n "${POSTGRES_BIN_DIR:-}" ] && [ -x "$POSTGRES_BIN_DIR/postgres" ]; then exit 0; fi
if ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then exit 0; fi

status=0
bash "$(dirname "$0")/apt-install.sh" postgresql || status=$?
if [ "$status" -eq 3 ]; then
  echo "install-postgres: PostgreSQL not installed; the embedded store falls back to FerretDB's SQLite backend" >&2
  exit 0
fi
[ "$status" -eq 0 ] || exit "$status"
# Debian's package also starts a system cluster on 5432; Journeys does not use it.
ls -d /usr/lib/postgresql/*/bin
