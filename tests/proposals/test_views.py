"""The proposal pages: list, export, registration, the proposal page, the letter and its download."""

from __future__ import annotations

import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from docx import Document

from proposals.models import LetterStatus, Proposal, ReplyLetter

from ..factories import read_xlsx
from .conftest import BODY, SESSION, register


def login(client, user):
    client.force_login(user)


def test_the_list_shows_proposals_in_scope_with_a_fixed_number_of_queries(
    client, platform_clerk, routed_proposal, django_assert_max_num_queries
):
    for number in range(1, 6):
        register(platform_clerk, number=number)
    login(client, platform_clerk)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("proposals-list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 6


def test_the_list_filters_by_kind_session_status_and_search(client, platform_clerk, routed_proposal):
    other = register(platform_clerk, number=9, session="市十七届人大三次会议", title="关于另一件事的建议")
    login(client, platform_clerk)

    def listed(**params):
        return list(client.get(reverse("proposals-list"), params).context["page"].object_list)

    assert listed(session=SESSION) == [routed_proposal]
    assert listed(status="received") == [other]
    assert listed(q="另一件") == [other]
    assert listed(q="220") == [routed_proposal]
    assert set(listed(letter="none", kind="deputy")) == {routed_proposal, other}
    assert listed(letter="draft") == []
    assert listed(kind="member") == []


def test_a_department_not_routed_to_gets_404_everywhere(client, draft, department_handler, platform_clerk):
    login(client, department_handler)
    pk = draft.proposal.pk
    for name in ("proposals-detail", "proposals-letter", "proposals-letter-download"):
        assert client.get(reverse(name, args=[pk])).status_code == 404
    assert client.get(reverse("proposals-list")).context["page"].paginator.count == 0
    rows = read_xlsx(client.get(reverse("proposals-export")).content)
    assert len(rows) == 1  # the header only
    assert client.get(reverse("proposals-detail", args=[99999])).status_code == 404


def test_the_lead_unit_and_co_handlers_open_the_proposal(client, draft, jxj_handler, czj_handler):
    for user in (jxj_handler, czj_handler):
        login(client, user)
        response = client.get(reverse("proposals-detail", args=[draft.proposal.pk]))
        assert response.status_code == 200
        assert response.context["can_write"] is (user == jxj_handler)


def test_registering_through_the_form(client, platform_clerk):
    login(client, platform_clerk)
    data = {"kind": "member", "session": "市政协十一届四次会议", "number": 170, "title": "《关于扶持小微企业成长的提案》",
            "proposer": "杨文", "co_proposers": "", "received_on": "2020-05-06", "text": "建议加大扶持力度。"}
    response = client.post(reverse("proposals-register"), data)
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response.url == reverse("proposals-detail", args=[proposal.pk])
    assert proposal.title == "关于扶持小微企业成长的提案" and proposal.demand.channel.code == "proposal"

    again = client.post(reverse("proposals-register"), data)
    assert again.status_code == 200 and again.context["form"].non_field_errors()
    assert Proposal.objects.count() == 1


def test_handlers_cannot_register(client, jxj_handler):
    login(client, jxj_handler)
    assert client.get(reverse("proposals-register")).status_code == 404


def _letter_form(letter, **changes):
    data = {field: getattr(letter, field) for field in (
        "issuing_body", "document_number", "signer", "title", "addressee", "body", "signature", "cc",
        "contact_name", "contact_phone", "class_mark")}
    data["dated_on"] = letter.dated_on.isoformat()
    data["version"] = letter.version or ""
    data.update(changes)
    return data


def test_the_lead_unit_drafts_saves_and_issues_the_letter(client, proposal_in_progress, jxj_handler):
    login(client, jxj_handler)
    url = reverse("proposals-letter", args=[proposal_in_progress.pk])
    page = client.get(url)
    assert page.status_code == 200
    initial = page.context["form"].instance
    assert initial.pk is None and initial.title == "对市十七届人大五次会议第220号建议的答复"

    response = client.post(url, {**_letter_form(initial, body=BODY), "save": ""})
    assert response.status_code == 302
    letter = ReplyLetter.objects.get()
    assert letter.body == BODY and letter.status == LetterStatus.DRAFT

    response = client.post(url, {**_letter_form(letter, signer="周海东"), "issue": ""})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.ISSUED and letter.signer == "周海东"

    response = client.post(url, {**_letter_form(letter, signer="改不了"), "save": ""})
    assert response.status_code == 404
    assert client.get(url).context["can_write"] is False


def test_issuing_too_early_shows_why(client, routed_proposal, jxj_handler, in_english):
    login(client, jxj_handler)
    url = reverse("proposals-letter", args=[routed_proposal.pk])
    client.post(url, {**_letter_form(client.get(url).context["form"].instance), "save": ""})
    letter = ReplyLetter.objects.get()
    response = client.post(url, {**_letter_form(letter), "issue": ""}, follow=True)
    assert "Start handling it on the demand page first" in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == LetterStatus.DRAFT


def test_the_download_is_a_docx_named_after_the_title(client, draft, czj_handler):
    login(client, czj_handler)
    response = client.get(reverse("proposals-letter-download", args=[draft.proposal.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert unquote(disposition.split("UTF-8''")[1]) == "对市十七届人大五次会议第220号建议的答复.docx"
    document = Document(io.BytesIO(response.content))
    assert any(p.text == "徐洲代表：" for p in document.paragraphs)


def test_the_export_lists_the_proposals_in_scope(client, draft, jxj_handler, in_english):
    login(client, jxj_handler)
    rows = read_xlsx(client.get(reverse("proposals-export")).content)
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=False))  # trailing empty cells are not written
    assert (row["Session"], row["Number"], row["Proposer"]) == (SESSION, 220, "徐洲")
    assert (row["Lead unit"], row["Co-handlers"]) == ("Economy and Information Technology Bureau", "Finance Bureau")
    assert (row["Document number"], row["Reply letter"]) == ("慈经信建〔2021〕1号", "Draft")


@pytest.mark.parametrize("name", ["proposals-list", "proposals-register"])
def test_anonymous_visitors_are_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "login" in response.url


def test_the_demand_page_of_a_proposal_links_back_to_it(client, draft, jxj_handler):
    login(client, jxj_handler)
    page = client.get(reverse("demands-detail", args=[draft.proposal.demand_id])).content.decode()
    assert f'href="{reverse("proposals-detail", args=[draft.proposal.pk])}" id="source-proposal"' in page
