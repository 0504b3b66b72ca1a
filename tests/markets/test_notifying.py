"""New matches are told to both sides, once per person, whichever way the owners are looked up."""

from __future__ import annotations

import pytest

from markets import actions, notifying, tasks
from markets.models import Market, Match
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def inbox(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("subject", flat=True))


@pytest.mark.parametrize("few", [1000, 0], ids=["by id", "by login"])
def test_both_sides_hear_of_new_matches_once(monkeypatch, few, post_need, cxrcb_credit, cxrcb_staff, icbc_staff,
                                             hongda_contact, longteng_contact):
    monkeypatch.setattr(notifying, "FEW", few)
    post_need(), post_need()
    Notification.objects.all().delete()
    Match.objects.all().delete()

    assert actions.full_rematch(Market.FINANCE) == 2

    assert len(inbox(hongda_contact)) == 1 and len(inbox(cxrcb_staff)) == 1
    assert "2" in inbox(cxrcb_staff)[0]
    assert inbox(icbc_staff) == [] and inbox(longteng_contact) == []


def test_the_nightly_job_rematches_every_market(post_need, cxrcb_credit):
    need = post_need()
    Match.objects.all().delete()

    result = tasks.rematch_all_markets.enqueue()

    assert result.return_value == {"finance": 1, "space": 0, "talent": 0}
    assert Match.objects.get().need_id == need.pk
