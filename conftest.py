"""Settings every test runs with, wherever the test lives (tests/ or an app's tests/).

* Background tasks run at once, in the test's own process (ImmediateBackend); the one
  worker test switches back to the database backend on purpose.
* Uploaded files go to a temporary folder, never to var/media.
* Passwords hash with a fast hasher so that building personas costs milliseconds.
* The operation-log actor starts unset in every test.
"""

from __future__ import annotations

import pytest


def pytest_configure(config):
    # WhiteNoise warns that collectstatic has not run; tests (and the live server) serve static files from the finders.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.TASKS = IMMEDIATE_TASKS
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The cache backs nothing we test, but a locmem cache outlives a test: start clean.
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _fresh_audit_context():
    """Start every test with no operation-log actor, as a new process would.

    django-auditlog keeps the actor in a context variable that outlives its context
    manager; without this a test would inherit whoever acted last in the previous test.
    """
    from auditlog.context import auditlog_value

    token = auditlog_value.set(None)
    yield
    auditlog_value.reset(token)
