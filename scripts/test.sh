#!/usr/bin/env bash
# Lint, check that migrations are up to date, then run the test suite.
#
#   scripts/test.sh                      # everything, on SQLite
#   scripts/test.sh -m "not browser"     # arguments go to pytest
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/qifu scripts/test.sh   # on PostgreSQL (tests use test_qifu)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_bootstrap.sh"

_say "ruff check"
ruff check .

_say "migrations are up to date"
python manage.py makemigrations --check --dry-run

if [ -n "${DATABASE_URL:-}" ]; then
    # Name the database, never its password.
    _say "pytest on $(printf '%s' "$DATABASE_URL" | sed -E 's#(://[^:/@]+):[^@]*@#\1:***@#; s#\?.*##')"
else
    _say "pytest on SQLite"
fi
exec pytest "$@"
