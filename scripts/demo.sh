#!/usr/bin/env bash
# The Qifu demo on this machine: set up, load demo data, start the worker, the
# scheduler and the web server at http://127.0.0.1:8000/ (Ctrl-C stops all three).
#
# Needs Python 3.11 and npm.  Safe to run again: set-up steps that are done are skipped,
# and the demo data is only created once.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_bootstrap.sh"

address="${QIFU_DEMO_ADDRESS:-127.0.0.1:8000}"
log_dir="${QIFU_VAR_DIR:-$QIFU_ROOT/var}/log"
mkdir -p "$log_dir"

_say "Database"
python manage.py migrate --noinput
python manage.py seed_reference
python manage.py seed_policies

_say "Demo data (skipped when enterprises exist)"
python manage.py seed_demo
python manage.py train_classifier --if-missing
python manage.py seed_markets
# The policy match table and the payout lists without application (免申即享) to review.
python manage.py refresh_policy_matches
python manage.py seed_liaisons
python manage.py seed_evaluation
python manage.py seed_briefings

# Three processes: the worker, the scheduler and the web server.  The server runs as a
# job the script waits on, so Ctrl-C (or a TERM sent to this script) reaches the trap at
# once, and leaving for any reason stops all three.
children=()
stop_children() {
    local pid
    for pid in "${children[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${children[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
}
trap stop_children EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

_say "Worker (log: $log_dir/worker.log)"
python manage.py db_worker --no-reload >>"$log_dir/worker.log" 2>&1 &
children+=("$!")

if python manage.py help run_scheduler >/dev/null 2>&1; then
    _say "Scheduler (log: $log_dir/scheduler.log)"
    python manage.py run_scheduler >>"$log_dir/scheduler.log" 2>&1 &
    children+=("$!")
else
    _say "No run_scheduler command in this version; scheduled jobs will not run."
fi

_say "Qifu is at http://$address/ — log in with one of the demo users above. Ctrl-C stops it."
python manage.py runserver "$address" --noreload &
children+=("$!")
wait "$!"
