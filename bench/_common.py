"""Shared set-up for the benchmark scripts: a fresh database per run, Django pointed
at it, and small statistics helpers.

Django reads its settings once per process, so every database configuration is
measured in its own process: set ``QIFU_VAR_DIR`` / ``DATABASE_URL`` in the
environment first, then call :func:`setup_django`.
"""

from __future__ import annotations

import math
import os
import platform
import sqlite3
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/qifu_bench"


def setup_django() -> None:
    """Import the project and set Django up with whatever the environment says."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def fresh_var_dir(prefix: str) -> str:
    """A new empty directory for the SQLite file and media of one run."""
    return tempfile.mkdtemp(prefix=f"qifu-{prefix}-")


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def recreate_postgres(url: str) -> str | None:
    """Drop and create the database named in ``url``; None on success, else why not."""
    return _on_postgres(url, drop=True)


def ensure_postgres(url: str) -> str | None:
    """Create the database named in ``url`` unless it exists; None on success, else why not."""
    return _on_postgres(url, drop=False)


def _on_postgres(url: str, *, drop: bool) -> str | None:
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            if drop:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if drop or not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        return f"PostgreSQL at {parts.hostname}:{parts.port} is not usable ({error.__class__.__name__}: {error})"
    return None


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(math.ceil(q / 100 * len(ordered)), 1)
    return ordered[rank - 1]


def machine() -> str:
    """One line that says what the figures were measured on."""
    return (
        f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )


def worker_env(kind: str, db: str, size: int, *, reuse: bool, pg_url: str) -> tuple[dict | None, str]:
    """The environment and data directory of one measuring worker process.

    A fresh temporary directory (and a fresh PostgreSQL database) per run; with ``reuse``
    a fixed directory and a database named after the size, kept for the next run.  The
    environment is None (after a note) when PostgreSQL cannot be used.
    """
    if reuse:
        var_dir = os.path.join(tempfile.gettempdir(), f"qifu-bench-{kind}-{db}-{size}")
        os.makedirs(var_dir, exist_ok=True)
    else:
        var_dir = fresh_var_dir(f"{kind}-{db}-{size}")
    env = {**os.environ, "QIFU_VAR_DIR": var_dir, "ALLOWED_HOSTS": "testserver", "DEBUG": "0"}
    env.pop("DATABASE_URL", None)
    if db == "postgres":
        url = urlunsplit(urlsplit(pg_url)._replace(path=f"{urlsplit(pg_url).path}_{size}")) if reuse else pg_url
        problem = ensure_postgres(url) if reuse else recreate_postgres(url)
        if problem:
            print(f"skipping PostgreSQL: {problem}", flush=True)
            return None, var_dir
        env["DATABASE_URL"] = url
    return env, var_dir


def run_worker_process(command: list[str], env: dict, var_dir: str, *, keep: bool) -> list[dict]:
    """Run a worker; its last stdout line is its JSON result ([] when it failed)."""
    import json
    import shutil
    import subprocess

    try:
        # The worker's stderr (progress, EXPLAIN output) goes straight to the terminal.
        done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True)
    finally:
        if not keep:
            shutil.rmtree(var_dir, ignore_errors=True)
    if done.returncode != 0:
        print(f"worker {' '.join(command[2:6])} failed with exit code {done.returncode}", flush=True)
        return []
    return json.loads(done.stdout.strip().splitlines()[-1])
