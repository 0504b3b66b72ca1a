"""Intake through the pages: a window clerk records a demand, an enterprise submits its own."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from demands.models import Demand, Status

from .conftest import HTML, PNG

pytestmark = pytest.mark.django_db

TEXT = "企业反映周巷工业区道路积水严重，货车无法进出，希望尽快疏通排水管道。"


def intake_form(enterprise, **extra) -> dict:
    """What the window clerk fills in for a call to the hotline."""
    return {
        "channel": "hotline",
        "enterprise": enterprise.pk,
        "enterprise_query": enterprise.name,
        "contact_name": "王芳",
        "contact_phone": "13812345678",
        "appeal_type": "request",
        "priority": "normal",
        "title": "工业区道路积水",
        "text": TEXT,
        "idempotency_key": uuid.uuid4().hex,
        **extra,
    }


def test_a_window_clerk_records_a_call_as_one_demand(log_in, zhouxiang_clerk, hongda):
    # When the 周巷 clerk records a hotline call for 宏达
    response = log_in(zhouxiang_clerk).post(reverse("demands-new"), intake_form(hongda))

    # Then one demand of 宏达 is received, in 周巷, and its page opens
    demand = Demand.objects.get()
    assert (demand.enterprise, demand.town.code, demand.status) == (hongda, "zhouxiang", Status.RECEIVED)
    assert (demand.channel.code, demand.created_by, demand.text) == ("hotline", zhouxiang_clerk, TEXT)
    assert response.status_code == 302
    assert response.url == reverse("demands-detail", args=[demand.pk])


def test_a_double_click_on_record_makes_one_demand(log_in, zhouxiang_clerk, hongda):
    # Given the intake form, posted twice with the same idempotency key (a double click)
    client = log_in(zhouxiang_clerk)
    form = intake_form(hongda, files=SimpleUploadedFile("积水.png", PNG))
    first = client.post(reverse("demands-new"), form)
    form["files"] = SimpleUploadedFile("积水.png", PNG)
    second = client.post(reverse("demands-new"), form)

    # Then there is one demand, with its photo once, and both clicks lead to its page
    demand = Demand.objects.get()
    assert demand.attachments.count() == 1
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("demands-detail", args=[demand.pk])


@pytest.mark.parametrize(
    "upload",
    [
        pytest.param(lambda: SimpleUploadedFile("photo.jpg", HTML, content_type="image/jpeg"), id="html-named-jpg"),
        pytest.param(lambda: SimpleUploadedFile("photo.png", PNG + b"\x00" * 2048), id="oversize"),
    ],
)
def test_a_refused_file_is_named_in_the_form_and_nothing_is_recorded(upload, log_in, zhouxiang_clerk, hongda, settings):
    settings.QIFU_ATTACHMENT_MAX_BYTES = 1024

    # When the clerk records the call with a file the platform does not accept
    response = log_in(zhouxiang_clerk).post(reverse("demands-new"), intake_form(hongda, files=upload()))

    # Then the form comes back naming the file, the typed text is still there, nothing is recorded
    assert response.status_code == 200
    errors = response.context["form"].errors["files"]
    assert len(errors) == 1 and "photo." in errors[0]
    assert "photo." in response.content.decode()
    assert TEXT in response.content.decode()
    assert not Demand.objects.exists()
    assert response.context["form"]["idempotency_key"].value() == response.wsgi_request.POST["idempotency_key"]


def test_a_clerk_cannot_record_a_demand_for_an_enterprise_of_another_town(log_in, zhouxiang_clerk, longteng):
    response = log_in(zhouxiang_clerk).post(reverse("demands-new"), intake_form(longteng))

    assert response.status_code == 200
    assert "enterprise_query" in response.context["form"].errors
    assert not Demand.objects.exists()


def test_an_enterprise_submits_a_demand_for_itself_only(log_in, hongda_contact, hongda, longteng):
    # When 宏达's contact submits a demand, slipping in 龙腾's id as the enterprise
    response = log_in(hongda_contact).post(
        reverse("demands-submit"),
        {
            "appeal_type": "consultation",
            "title": "",
            "text": TEXT,
            "contact_name": "王芳",
            "contact_phone": "13812345678",
            "idempotency_key": uuid.uuid4().hex,
            "enterprise": longteng.pk,
        },
    )

    # Then the demand is 宏达's, from the portal, in 周巷, and its page opens
    demand = Demand.objects.get()
    assert (demand.enterprise, demand.town.code, demand.channel.code) == (hongda, "zhouxiang", "portal")
    assert demand.title == TEXT[:40]
    assert response.url == reverse("demands-detail", args=[demand.pk])


def test_an_enterprise_submits_through_the_enterprise_code(log_in, hongda_contact, hongda):
    log_in(hongda_contact).post(
        reverse("demands-submit") + "?via=code",
        {"appeal_type": "request", "text": TEXT, "idempotency_key": uuid.uuid4().hex},
    )

    assert Demand.objects.get().channel.code == "enterprise_code"


@pytest.mark.parametrize("persona", ["zhouxiang_clerk", "department_handler", "outsider"])
def test_only_an_enterprise_contact_has_the_submit_page(persona, log_in, request):
    response = log_in(request.getfixturevalue(persona)).get(reverse("demands-submit"))

    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["hongda_contact", "department_handler", "outsider"])
def test_only_windows_have_the_intake_page(persona, log_in, request):
    response = log_in(request.getfixturevalue(persona)).get(reverse("demands-new"))

    assert response.status_code == 404
