"""Proposal personas and proposals at each step, built through the real actions.

* ``jxj_handler`` — a handler at the Economy and Information Technology Bureau (the lead unit);
* ``czj_handler`` — a handler at the Finance Bureau (a co-handler);
* ``platform_clerk`` (tests/conftest.py) registers, accepts and routes;
* ``department_handler`` (tests/conftest.py, Science and Technology Bureau) is never routed to.

``proposal`` is deputy Xu Zhou's proposal No. 220 at 市十七届人大五次会议, just registered;
``routed_proposal`` is it routed to 经信局 with 财政局 co-handling; ``proposal_in_progress``
is it after the lead unit started handling.
"""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import Organisation, Role
from demands import actions as demand_actions
from proposals import actions
from proposals.models import Kind
from reference.models import Category

from ..factories import make_user

SESSION = "市十七届人大五次会议"
TITLE = "关于加大龙头企业配套产业链扶持力度的建议"
TEXT = "龙头企业的配套中小企业普遍面临用地紧张、融资困难等问题，建议从用地、金融、服务三方面加大扶持。"
BODY = (
    "您在市十七届人大五次会议期间提出的《关于加大龙头企业配套产业链扶持力度的建议》（第220号建议）已收悉。\n\n"
    "一、强化用地保障\n\n"
    "（一）盘活存量用地。鼓励利用闲置厂房建设小微企业园，优先安排配套企业入驻。\n\n"
    "二、强化金融支持\n\n"
    "推动银行开展供应链融资，引导担保机构降低担保费率。\n\n"
    "感谢您对我市产业链工作的关心和支持。"
)


@pytest.fixture
def jxj_handler(reference):
    return make_user("jxj_handler", role=Role.Code.DEPARTMENT_HANDLER, org="dept_jxj", display_name="张玲玲",
                     phone="63813127")


@pytest.fixture
def czj_handler(reference):
    return make_user("czj_handler", role=Role.Code.DEPARTMENT_HANDLER, org="dept_czj", display_name="财政承办人")


def register(user, *, number=220, kind=Kind.DEPUTY, session=SESSION, title=TITLE, co_proposers=""):
    return actions.do_register_proposal(
        acting_user=user, kind=kind, session=session, number=number, title=title, proposer="徐洲",
        co_proposers=co_proposers, text=TEXT, received_on=dt.date(2021, 3, 1),
    )


def route(proposal, window, *, lead="dept_jxj", co=("dept_czj",)):
    demand = demand_actions.do_accept(proposal.demand, acting_user=window, version=None,
                                      category=Category.objects.get(code="finance"))
    demand_actions.do_route(demand, acting_user=window, version=None, lead_unit=Organisation.objects.get(code=lead),
                            co_handlers=list(Organisation.objects.filter(code__in=co)))
    proposal.demand.refresh_from_db()
    return proposal


@pytest.fixture
def proposal(platform_clerk):
    return register(platform_clerk)


@pytest.fixture
def routed_proposal(proposal, platform_clerk, jxj_handler, czj_handler):
    return route(proposal, platform_clerk)


@pytest.fixture
def proposal_in_progress(routed_proposal, jxj_handler):
    demand_actions.do_start(routed_proposal.demand, acting_user=jxj_handler, version=None)
    routed_proposal.demand.refresh_from_db()
    return routed_proposal


@pytest.fixture
def draft(proposal_in_progress, jxj_handler):
    """A saved draft with the letter of seed 004's layout."""
    return actions.do_save_reply_draft(
        proposal_in_progress, acting_user=jxj_handler, document_number="慈经信建〔2021〕1号", signer="周海东",
        body=BODY, dated_on=dt.date(2021, 6, 11), cc="市人大代表工委，市政府办公室，市自然资源规划局",
        contact_name="张玲玲", contact_phone="63813127",
    )
