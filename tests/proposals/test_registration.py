"""Registering a proposal and handling it through the demand workflow."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from demands.access import sides_of
from demands.models import AppealType, Status
from demands.workflow import Side
from proposals.access import access_proposal, visible_proposals
from proposals.models import Kind, ProposalEvent

from .conftest import TITLE, register


def test_registering_a_proposal_creates_a_linked_demand_on_the_proposal_channel(proposal):
    demand = proposal.demand
    assert demand.channel.code == "proposal"
    assert demand.enterprise is None and demand.town is None
    assert demand.appeal_type == AppealType.SUGGESTION
    assert demand.status == Status.RECEIVED
    assert demand.title == TITLE
    assert demand.events.filter(kind="demand_received").exists()
    assert list(proposal.events.values_list("kind", flat=True)) == [ProposalEvent.Kind.REGISTERED]


def test_book_title_marks_and_co_proposer_separators_are_normalised(platform_clerk):
    proposal = register(platform_clerk, number=273, title="《关于优化中小企业服务的建议》",
                        co_proposers="王敏、李强，赵云 钱多")
    assert proposal.title == "关于优化中小企业服务的建议"
    assert proposal.co_proposer_list == ["王敏", "李强", "赵云", "钱多"]


def test_the_same_number_in_the_same_session_is_refused(proposal, platform_clerk):
    with pytest.raises(ValidationError):
        register(platform_clerk)
    # The same number is free for the other kind and for another session.
    register(platform_clerk, kind=Kind.MEMBER, session="市政协十一届四次会议")
    register(platform_clerk, session="市十七届人大三次会议")


def test_routing_gives_the_proposal_a_lead_unit_and_co_handlers(routed_proposal, jxj_handler, czj_handler):
    demand = routed_proposal.demand
    assert demand.status == Status.ROUTED
    assert demand.lead_unit.code == "dept_jxj"
    assert [unit.code for unit in demand.co_handlers.all()] == ["dept_czj"]
    assert Side.HANDLER in sides_of(jxj_handler, demand)
    assert Side.CO_HANDLER in sides_of(czj_handler, demand)


def test_the_lead_unit_and_co_handlers_see_the_proposal_and_other_departments_do_not(
    routed_proposal, jxj_handler, czj_handler, department_handler, zhouxiang_clerk, outsider, supervisor
):
    for user in (jxj_handler, czj_handler, supervisor):
        assert list(visible_proposals(user)) == [routed_proposal]
        assert access_proposal(user, routed_proposal.pk) == routed_proposal
    for user in (department_handler, zhouxiang_clerk, outsider):
        assert not visible_proposals(user).exists()


def test_a_proposal_not_yet_routed_is_seen_by_city_wide_staff_only(proposal, platform_clerk, jxj_handler):
    assert list(visible_proposals(platform_clerk)) == [proposal]
    assert not visible_proposals(jxj_handler).exists()
