"""Size class (工信部联企业〔2011〕300号, industry): boundaries, and refresh from yearly figures."""

from __future__ import annotations

import pytest

from enterprises import actions
from enterprises.models import Enterprise, SizeClass
from enterprises.sizes import WAN, size_class_for

LARGE, MEDIUM, SMALL, MICRO, UNKNOWN = (
    SizeClass.LARGE,
    SizeClass.MEDIUM,
    SizeClass.SMALL,
    SizeClass.MICRO,
    SizeClass.UNKNOWN,
)


@pytest.mark.parametrize(
    ("employees", "revenue_fen", "expected"),
    [
        pytest.param(1000, 40_000 * WAN, LARGE, id="large-exactly-at-both-thresholds"),
        pytest.param(999, 40_000 * WAN, MEDIUM, id="one-employee-short-of-large"),
        pytest.param(1000, 40_000 * WAN - 1, MEDIUM, id="one-fen-short-of-large"),
        pytest.param(300, 2_000 * WAN, MEDIUM, id="medium-exactly-at-both-thresholds"),
        pytest.param(299, 2_000 * WAN, SMALL, id="one-employee-short-of-medium"),
        pytest.param(5000, 2_000 * WAN - 1, SMALL, id="many-employees-little-revenue"),
        pytest.param(20, 300 * WAN, SMALL, id="small-exactly-at-both-thresholds"),
        pytest.param(19, 300 * WAN, MICRO, id="one-employee-short-of-small"),
        pytest.param(20, 300 * WAN - 1, MICRO, id="one-fen-short-of-small"),
        pytest.param(0, 0, MICRO, id="nothing"),
        pytest.param(None, 300 * WAN, UNKNOWN, id="employees-missing"),
        pytest.param(20, None, UNKNOWN, id="revenue-missing"),
    ],
)
def test_size_class_boundaries(employees, revenue_fen, expected):
    assert size_class_for(employees, revenue_fen) == expected


@pytest.mark.django_db
def test_yearly_figures_refresh_the_size_class(hongda, system_admin):
    # Given a new enterprise, its size is unknown
    assert hongda.size_class == UNKNOWN

    # When its 2023 figures are entered (500 people, 5,000万元), it is medium
    actions.do_set_year_figures(hongda, 2023, acting_user=system_admin, employees=500, revenue_fen=5_000 * WAN)
    assert Enterprise.objects.get(pk=hongda.pk).size_class == MEDIUM

    # When 2024 grows past the large threshold, the latest year decides
    actions.do_set_year_figures(hongda, 2024, acting_user=system_admin, employees=1200, revenue_fen=50_000 * WAN)
    assert Enterprise.objects.get(pk=hongda.pk).size_class == LARGE

    # An older year changing does not override the latest one
    actions.do_set_year_figures(hongda, 2022, acting_user=system_admin, employees=10, revenue_fen=100 * WAN)
    assert Enterprise.objects.get(pk=hongda.pk).size_class == LARGE

    # Correcting the latest year changes the class again
    actions.do_set_year_figures(hongda, 2024, acting_user=system_admin, employees=250)
    assert Enterprise.objects.get(pk=hongda.pk).size_class == SMALL


@pytest.mark.django_db
def test_a_year_without_both_figures_is_skipped(hongda, system_admin):
    actions.do_set_year_figures(hongda, 2023, acting_user=system_admin, employees=30, revenue_fen=400 * WAN)
    actions.do_set_year_figures(hongda, 2024, acting_user=system_admin, revenue_fen=90_000 * WAN)

    assert Enterprise.objects.get(pk=hongda.pk).size_class == SMALL
