"""Liaison cadres for the tests: a 周巷 town cadre, a second one, and a city cadre at 市经信局."""

from __future__ import annotations

import pytest

from accounts.models import Role

from ..factories import make_user


@pytest.fixture
def zhouxiang_cadre(reference):
    return make_user("zx_cadre", role=Role.Code.LIAISON, org="window_zhouxiang", display_name="徐建军")


@pytest.fixture
def zhouxiang_cadre_2(reference):
    return make_user("zx_cadre2", role=Role.Code.LIAISON, org="window_zhouxiang", display_name="周小明")


@pytest.fixture
def city_cadre(reference):
    return make_user("jxj_cadre", role=Role.Code.LIAISON, org="dept_jxj", display_name="钱干部")


@pytest.fixture
def longshan_cadre(reference):
    return make_user("ls_cadre", role=Role.Code.LIAISON, org="window_longshan", display_name="龙干部")
