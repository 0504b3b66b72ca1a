"""Fixtures for demand intelligence: a private model directory and demands submitted by 宏达.

Every test starts with no trained model (its own ``VAR_DIR``, an empty in-process cache),
so "no model yet" is the default and a test that needs one trains it through the action.
"""

from __future__ import annotations

import pytest

from demands import actions as demand_actions
from demands.models import AppealType
from intelligence import classifier, open_index
from reference.models import Channel


@pytest.fixture(autouse=True)
def model_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.QIFU_OPEN_INDEX_REFRESH_SECONDS = 0  # every search sees the demands changed just before it
    classifier._cache.clear()
    open_index._cache.clear()
    yield tmp_path / "intelligence"
    classifier._cache.clear()
    open_index._cache.clear()


@pytest.fixture
def submit(hongda_contact):
    """Submit a demand of 宏达 with the given text, as its contact does on the hotline.

    ``contact=`` submits it for another enterprise, as that enterprise's contact.
    """

    def submit_text(text: str, title: str = "企业诉求", contact=None):
        contact = contact or hongda_contact
        return demand_actions.do_submit_demand(
            acting_user=contact, enterprise=contact.enterprise,
            channel=Channel.objects.get(code="hotline"), appeal_type=AppealType.REQUEST, title=title, text=text)

    return submit_text


@pytest.fixture
def write_jsonl(tmp_path):
    def write(name: str, lines: list[str]):
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write
