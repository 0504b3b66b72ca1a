"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against pytest-django's live server.

Without Chromium the browser tests are skipped on a developer machine and fail in CI
(``CI`` set), where .ci/run installs it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# fixtures make from that thread are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        message = (
            f"{CHROMIUM} is missing; install Debian's chromium package (apt-get install chromium) to run browser tests."
        )
        if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_context(chromium, live_server):
    """A new browser profile per test (no cookies carried over), on a desktop-sized window."""
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    return browser_context.new_page()


@pytest.fixture
def phone(chromium, live_server):
    """A page on a phone-sized screen (390×844, touch)."""
    context = chromium.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()
