"""Fixtures for the demand pages, tested through the HTTP views with Django's test client.

The people come from tests/conftest.py; the frozen clock (``clock``, autouse), the other
units and ``journey`` (a demand of 宏达 walked along the loop through demands.actions) are
re-used from tests/demands/conftest.py by importing them here, so the demand pages are
tested on the same Monday as the domain layer.

Added here:

* ``longteng_journey`` — the same loop for 龙腾 (龙山镇): the 龙山 window accepts and routes
  to 供电公司, whose handler answers;
* ``log_in`` — the test client, logged in as a persona;
* file bytes that pass (or fail) the content check of demands/attachments.py.
"""

from __future__ import annotations

import re

import pytest

from ..demands import conftest as demand_fixtures
from ..demands.conftest import Journey

# The fixtures of tests/demands, re-used by the tests of this folder (``clock`` stays autouse).
clock = demand_fixtures.clock
journey = demand_fixtures.journey
power_handler = demand_fixtures.power_handler
kjj = demand_fixtures.kjj
power = demand_fixtures.power
innovation = demand_fixtures.innovation
hotline = demand_fixtures.hotline

# Enough of each format for its content to be recognised (filetype reads the first bytes).
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture
def log_in(client):
    """``log_in(user)`` → the test client, with that person's session."""

    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def longteng_journey(longteng_contact, longshan_clerk, power_handler, supervisor, hotline, innovation, power):
    """龙腾 (龙山镇) asks; the 龙山 window accepts and routes to 供电公司, whose handler answers."""
    return Journey(
        contact=longteng_contact,
        clerk=longshan_clerk,
        handler=power_handler,
        supervisor=supervisor,
        channel=hotline,
        category=innovation,
        lead_unit=power,
    )


def numbers_listed(response) -> set[str]:
    """The demand numbers in the rows of a workbench, tracking or close-out table."""
    content = response.content.decode()
    return set(re.findall(r'data-demand="([^"]+)"', content)) | set(
        re.findall(r'href="/demands/\d+/"[^>]*>(SQ\d+)</a>', content)
    )


def action_forms_on(response) -> set[str]:
    """The workflow actions whose form the demand page offers."""
    return set(re.findall(r'id="action-([a-z_]+)"', response.content.decode()))
