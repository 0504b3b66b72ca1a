"""Drafting and issuing the reply letter."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from demands import actions as demand_actions
from demands.models import Status
from demands.workflow import EditConflict, TransitionNotAllowed
from proposals import actions, letters
from proposals.models import Kind, LetterStatus, ProposalEvent, ReplyLetter

from .conftest import BODY, register, route


def test_a_new_draft_suggests_title_addressee_number_and_cc(proposal_in_progress, jxj_handler):
    letter = actions.new_reply_letter(proposal_in_progress, author=jxj_handler, today=dt.date(2021, 6, 1))
    assert letter.title == "对市十七届人大五次会议第220号建议的答复"
    assert letter.addressee == "徐洲代表："
    assert letter.document_number == "慈经信建〔2021〕1号"
    assert letter.issuing_body == letter.signature == "慈溪市经济和信息化局"
    assert letter.cc == "市人大代表工委，市政府办公室，市财政局。"
    assert letter.contact_name == "张玲玲" and letter.contact_phone == "63813127"
    assert "（第220号建议）已收悉" in letter.body


def test_a_members_proposal_is_a_提案_addressed_to_the_委员(platform_clerk, jxj_handler):
    proposal = register(platform_clerk, kind=Kind.MEMBER, session="市政协十一届四次会议", number=170,
                        co_proposers="李强")
    letter = actions.new_reply_letter(proposal, author=jxj_handler, today=dt.date(2020, 8, 31))
    assert letter.title == "对市政协十一届四次会议第170号提案的答复"
    assert letter.addressee == "徐洲等委员们："
    assert letter.document_number == "慈经信提〔2020〕1号"
    assert letter.cc.startswith("市政协提案委")


def test_the_suggested_number_follows_the_years_highest(draft, platform_clerk, jxj_handler):
    other = route(register(platform_clerk, number=221), platform_clerk)
    assert letters.suggest_document_number(Kind.DEPUTY, 2021) == "慈经信建〔2021〕2号"
    assert letters.suggest_document_number(Kind.DEPUTY, 2022) == "慈经信建〔2022〕1号"
    with pytest.raises(ValidationError):
        actions.do_save_reply_draft(other, acting_user=jxj_handler, document_number="慈经信建〔2021〕1号")


def test_the_draft_stays_editable_until_issued_then_is_refused(draft, jxj_handler, in_english):
    edited = actions.do_save_reply_draft(draft.proposal, acting_user=jxj_handler, version=draft.version,
                                         signer="李四", class_mark="A")
    assert (edited.signer, edited.class_mark, edited.status) == ("李四", "A", LetterStatus.DRAFT)

    actions.do_issue_reply(edited, acting_user=jxj_handler, version=edited.version)

    with pytest.raises(TransitionNotAllowed, match="issued"):
        actions.do_save_reply_draft(draft.proposal, acting_user=jxj_handler, signer="王五")
    with pytest.raises(TransitionNotAllowed):
        actions.do_issue_reply(edited, acting_user=jxj_handler)
    assert ReplyLetter.objects.get(pk=draft.pk).signer == "李四"


def test_a_stale_version_is_an_edit_conflict(draft, jxj_handler):
    actions.do_save_reply_draft(draft.proposal, acting_user=jxj_handler, version=draft.version, signer="甲")
    with pytest.raises(EditConflict):
        actions.do_save_reply_draft(draft.proposal, acting_user=jxj_handler, version=draft.version, signer="乙")


def test_issuing_answers_the_demand_with_the_letter_body(draft, jxj_handler):
    letter = actions.do_issue_reply(draft, acting_user=jxj_handler)

    assert letter.status == LetterStatus.ISSUED and letter.issued_by == jxj_handler and letter.issued_at
    demand = draft.proposal.demand
    demand.refresh_from_db()
    assert demand.status == Status.ANSWERED
    assert demand.answer == BODY
    answered = demand.events.get(kind="demand_answered")
    assert answered.actor == jxj_handler and "慈经信建〔2021〕1号" in answered.note
    issued = draft.proposal.events.get(kind=ProposalEvent.Kind.ISSUED)
    assert issued.data["document_number"] == "慈经信建〔2021〕1号"


def test_issuing_is_refused_while_the_demand_is_not_in_progress(routed_proposal, jxj_handler, in_english):
    letter = actions.do_save_reply_draft(routed_proposal, acting_user=jxj_handler, body=BODY)

    with pytest.raises(TransitionNotAllowed, match="only while the proposal is being handled; it is now “Routed”"):
        actions.do_issue_reply(letter, acting_user=jxj_handler)

    letter.refresh_from_db()
    routed_proposal.demand.refresh_from_db()
    assert letter.status == LetterStatus.DRAFT
    assert routed_proposal.demand.status == Status.ROUTED


def test_last_changes_sent_with_a_refused_issue_are_not_saved(draft, jxj_handler):
    demand_actions.do_request_info(draft.proposal.demand, acting_user=jxj_handler, version=None, question="请补充")
    with pytest.raises(TransitionNotAllowed):
        actions.do_issue_reply(draft, acting_user=jxj_handler, signer="改过")
    assert ReplyLetter.objects.get(pk=draft.pk).signer == "周海东"


def test_only_the_lead_unit_issues_and_co_handlers_cannot_write(draft, czj_handler, supervisor, department_handler):
    for user in (czj_handler, supervisor):
        with pytest.raises(TransitionNotAllowed):
            actions.do_issue_reply(draft, acting_user=user)
    for user in (czj_handler, department_handler):
        with pytest.raises(TransitionNotAllowed):
            actions.do_save_reply_draft(draft.proposal, acting_user=user, signer="某人")
    # A supervisor may correct the draft.
    assert actions.do_save_reply_draft(draft.proposal, acting_user=supervisor, signer="督办").signer == "督办"


def test_letter_writes_are_in_the_operation_log(draft, jxj_handler):
    from auditlog.models import LogEntry

    actions.do_issue_reply(draft, acting_user=jxj_handler)
    entries = LogEntry.objects.get_for_object(ReplyLetter.objects.get(pk=draft.pk))
    assert entries.count() >= 2
    assert {entry.actor for entry in entries} == {jxj_handler}
    assert LogEntry.objects.get_for_object(draft.proposal).exists()
