"""Market personas on top of tests/conftest.py: two banks, their staff and their products.

* ``cxrcb_staff`` — 慈溪农村商业银行 (bank_cxrcb), with ``cxrcb_credit`` (credit, 50–500万, 1–36 months);
* ``icbc_staff`` — 工商银行慈溪支行 (bank_icbc_cixi), with ``icbc_mortgage`` (property mortgage, 300–3000万);
* ``post_need`` posts a financing need for 宏达 through the action, as its contact.
"""

from __future__ import annotations

import pytest

from accounts.models import Organisation, Role
from markets import actions
from markets.models import Collateral, ProductKind, Purpose, Urgency

from ..factories import make_user

WAN = 1_000_000  # fen


@pytest.fixture
def cxrcb(reference):
    return Organisation.objects.get(code="bank_cxrcb")


@pytest.fixture
def icbc(reference):
    return Organisation.objects.get(code="bank_icbc_cixi")


@pytest.fixture
def cxrcb_staff(cxrcb):
    return make_user("cxrcb_li", role=Role.Code.BANK_STAFF, org="bank_cxrcb", display_name="李信贷")


@pytest.fixture
def icbc_staff(icbc):
    return make_user("icbc_zhang", role=Role.Code.BANK_STAFF, org="bank_icbc_cixi", display_name="张客户经理")


@pytest.fixture
def cxrcb_credit(cxrcb, system_admin):
    return actions.do_save_product(
        acting_user=system_admin, organisation=cxrcb, name="小微信用贷", kind=ProductKind.CREDIT,
        min_amount_fen=50 * WAN, max_amount_fen=500 * WAN, min_term_months=1, max_term_months=36,
        min_rate_bp=385, max_rate_bp=550, purposes=[Purpose.WORKING_CAPITAL, Purpose.ORDERS],
        collateral=[Collateral.NONE, Collateral.TAX_RECORD], sizes=[],
    )


@pytest.fixture
def icbc_mortgage(icbc, system_admin):
    return actions.do_save_product(
        acting_user=system_admin, organisation=icbc, name="厂房抵押贷", kind=ProductKind.MORTGAGE,
        min_amount_fen=300 * WAN, max_amount_fen=3000 * WAN, min_term_months=12, max_term_months=120,
        min_rate_bp=360, max_rate_bp=480, purposes=[], collateral=[Collateral.PROPERTY], sizes=[],
    )


@pytest.fixture
def post_need(hongda, hongda_contact):
    def post(amount_wan=200, term=12, purpose=Purpose.WORKING_CAPITAL, collateral=Collateral.NONE, **extra):
        return actions.do_post_need(
            acting_user=hongda_contact, enterprise=hongda, amount_fen=amount_wan * WAN, term_months=term,
            purpose=purpose, collateral=collateral, urgency=Urgency.SOON, contact_name="王芳",
            contact_phone="13812345678", **extra,
        )

    return post
