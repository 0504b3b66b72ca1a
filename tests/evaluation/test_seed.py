"""``manage.py seed_evaluation`` loads the demo once; a second run adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from enterprises.models import YearFigures
from evaluation.models import AppointmentSlot, ModuleOpen, Round, RoundStatus, Scheme, ZoneCode

from .conftest import WAN

pytestmark = pytest.mark.django_db


def test_seed_evaluation_is_idempotent(hongda, longteng, supervisor):
    for enterprise, land in ((hongda, 4), (longteng, 0)):
        for year in (2024, 2025):
            YearFigures.objects.create(enterprise=enterprise, year=year, land_area_mu=land, tax_paid_fen=30 * WAN,
                                       revenue_fen=900 * WAN, employees=20)
    out = io.StringIO()
    call_command("seed_evaluation", stdout=out)
    rounds = {r.year: r.status for r in Round.objects.all()}
    assert rounds == {2024: RoundStatus.FINAL, 2025: RoundStatus.NOTICE}
    counts = (Scheme.objects.count(), ZoneCode.objects.count(), AppointmentSlot.objects.count(),
              ModuleOpen.objects.count())
    assert counts[:2] == (2, 2) and counts[2] > 0 and counts[3] > 0

    call_command("seed_evaluation", stdout=io.StringIO())
    assert (Scheme.objects.count(), ZoneCode.objects.count(), AppointmentSlot.objects.count(),
            ModuleOpen.objects.count()) == counts
    assert Round.objects.count() == 2
