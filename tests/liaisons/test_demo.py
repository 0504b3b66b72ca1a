"""The demo command makes assignments, visits with linked demands and condition items, once."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.demo_users import create_demo_users
from enterprises import demo as enterprise_demo
from liaisons.models import Assignment, ConditionItem, Visit, VisitProblem

pytestmark = pytest.mark.django_db


def test_seed_liaisons_is_idempotent(reference):
    enterprise_demo.generate(300, seed=7)
    create_demo_users()
    call_command("seed_liaisons", visits=40, conditions=10)
    counts = (Assignment.objects.count(), Visit.objects.count(), VisitProblem.objects.count(),
              ConditionItem.objects.count())
    assert counts[0] > 0 and counts[1] == 40 and counts[2] > 0 and counts[3] == 10
    assert all(p.demand.channel.code == "visit" for p in VisitProblem.objects.select_related("demand__channel"))
    call_command("seed_liaisons", visits=40, conditions=10)
    assert (Assignment.objects.count(), Visit.objects.count(), VisitProblem.objects.count(),
            ConditionItem.objects.count()) == counts
