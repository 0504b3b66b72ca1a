# Shared set-up for scripts/demo.sh and scripts/test.sh (sourced, not run).
#
# From any working directory: go to the repository root, create .venv with Python 3.11
# when it is missing, install requirements.txt when it changed since the last install,
# and run `npm ci` when node_modules is missing or package-lock.json changed.
# Afterwards .venv/bin comes first on PATH, so `python`, `pytest` and `ruff` are the project's.

set -euo pipefail

QIFU_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$QIFU_ROOT"

_say() { printf '==> %s\n' "$*"; }
_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

_python311() {
    local candidate
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 \
            && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' >/dev/null 2>&1; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

_checksum() {
    .venv/bin/python -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$1"
}

if [ ! -x .venv/bin/python ]; then
    python="$(_python311)" || _die "Qifu needs Python 3.11: install it so that python3.11 (or python3) is on PATH."
    _say "Creating .venv with $python"
    "$python" -m venv .venv
fi

# A stamp inside .venv remembers which requirements.txt was installed last.
requirements_stamp=.venv/.qifu-requirements.sha256
if [ "$(cat "$requirements_stamp" 2>/dev/null || true)" != "$(_checksum requirements.txt)" ]; then
    _say "Installing Python packages (requirements.txt changed)"
    .venv/bin/python -m pip install --disable-pip-version-check --quiet -r requirements.txt
    _checksum requirements.txt >"$requirements_stamp"
fi

# Bootstrap, ECharts and the icons are served from node_modules (no CDN at run time).
npm_stamp=node_modules/.qifu-package-lock.sha256
if [ ! -d node_modules ] || [ "$(cat "$npm_stamp" 2>/dev/null || true)" != "$(_checksum package-lock.json)" ]; then
    command -v npm >/dev/null 2>&1 \
        || _die "npm is needed to install the front-end packages (Bootstrap, ECharts): install Node.js and npm, then run this again."
    _say "Installing front-end packages (npm ci)"
    npm ci --no-audit --no-fund
    _checksum package-lock.json >"$npm_stamp"
fi

export PATH="$QIFU_ROOT/.venv/bin:$PATH"
