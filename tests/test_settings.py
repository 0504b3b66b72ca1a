"""Production settings refuse to start when unsafe, and start when set properly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GOOD_KEY = "k3Y-x7Qp9LmZ2vR8sT4wN6bC1dF5gH0jK3aYu2Ei9Oo1Pq5Rs!"  # 50 random-looking characters
PRODUCTION = {
    "QIFU_ENV": "production",
    "SECRET_KEY": GOOD_KEY,
    "DEBUG": "0",
    "ALLOWED_HOSTS": "qifu.example.gov.cn",
    "DATABASE_URL": "postgres://qifu:secret@db.example.gov.cn:5432/qifu",
}
_INHERITED = ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL", "ALLOW_SQLITE", "QIFU_ENV", "TASKS_BACKEND")


def start_django(tmp_path, **env) -> subprocess.CompletedProcess:
    """Run ``django.setup()`` in a fresh interpreter with exactly the given settings variables."""
    clean = {k: v for k, v in os.environ.items() if k not in _INHERITED}
    clean.update(DJANGO_SETTINGS_MODULE="config.settings", QIFU_VAR_DIR=str(tmp_path / "var"), **env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=REPO,
        env={k: v for k, v in clean.items() if v is not None},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_start(tmp_path):
    assert len(GOOD_KEY) == 50

    result = start_django(tmp_path, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        pytest.param({"SECRET_KEY": None}, "SECRET_KEY must be set", id="no-secret-key"),
        pytest.param({"SECRET_KEY": "short-key"}, "SECRET_KEY must be set", id="short-secret-key"),
        pytest.param({"DEBUG": "1"}, "DEBUG must be off", id="debug-on"),
        pytest.param({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS must list the real host names", id="any-host"),
        pytest.param({"DATABASE_URL": None}, "DATABASE_URL must point to PostgreSQL", id="sqlite"),
    ],
)
def test_unsafe_production_settings_stop_start_up(tmp_path, change, problem):
    result = start_django(tmp_path, **{**PRODUCTION, **change})

    assert result.returncode != 0
    assert "Unsafe production settings" in result.stderr
    assert problem in result.stderr


def test_every_problem_is_named_at_once(tmp_path):
    result = start_django(tmp_path, QIFU_ENV="production")

    assert result.returncode != 0
    for problem in ("SECRET_KEY", "DATABASE_URL"):
        assert problem in result.stderr
    assert "DEBUG must be off" not in result.stderr  # production defaults DEBUG to off


def test_development_needs_no_environment_at_all(tmp_path):
    result = start_django(tmp_path)

    assert result.returncode == 0, result.stderr
