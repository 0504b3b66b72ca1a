"""Attachment downloads: safe headers, and only for those who may see the file."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from demands.attachments import do_attach
from demands.models import Attachment

from .conftest import PDF, PNG

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(journey, hongda_contact, zhouxiang_clerk):
    """宏达's demand with the contact's photo and letter, and the window's internal memo."""
    demand = journey.submit()
    return {
        "photo": do_attach(demand, SimpleUploadedFile("厂门积水.png", PNG), acting_user=hongda_contact),
        "letter": do_attach(demand, SimpleUploadedFile("申请函.pdf", PDF), acting_user=hongda_contact),
        "memo": do_attach(demand, SimpleUploadedFile("内部研判.pdf", PDF), acting_user=zhouxiang_clerk, internal=True),
    }


def download(client, attachment: Attachment):
    return client.get(reverse("demands-attachment", args=[attachment.pk]))


def test_a_pdf_downloads_as_a_file_and_a_photo_opens_inline(log_in, files, zhouxiang_clerk):
    client = log_in(zhouxiang_clerk)

    letter, photo = download(client, files["letter"]), download(client, files["photo"])

    assert letter.status_code == photo.status_code == 200
    assert letter["Content-Disposition"].startswith("attachment;")
    assert letter["Content-Type"] == "application/pdf"
    assert b"".join(letter.streaming_content) == PDF
    assert photo["Content-Disposition"].startswith("inline;")
    assert photo["Content-Type"] == "image/png"
    for response in (letter, photo):
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "sandbox"


def test_a_stored_file_whose_type_is_not_allowed_is_served_as_bytes(log_in, files, zhouxiang_clerk):
    # Given a file whose recorded type is HTML (as an old row or a tampered one could be)
    Attachment.objects.filter(pk=files["photo"].pk).update(content_type="text/html")

    response = download(log_in(zhouxiang_clerk), files["photo"])

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_the_clerk_of_another_town_gets_404(log_in, files, longshan_clerk):
    client = log_in(longshan_clerk)

    assert [download(client, f).status_code for f in files.values()] == [404, 404, 404]


def test_another_enterprise_gets_404(log_in, files, longteng_contact):
    assert download(log_in(longteng_contact), files["photo"]).status_code == 404


def test_the_enterprise_gets_its_own_files_but_not_internal_ones(log_in, files, hongda_contact):
    client = log_in(hongda_contact)

    assert download(client, files["photo"]).status_code == 200
    assert download(client, files["letter"]).status_code == 200
    assert download(client, files["memo"]).status_code == 404
    page = client.get(reverse("demands-detail", args=[files["memo"].demand_id])).content.decode()
    assert "申请函.pdf" in page and "内部研判.pdf" not in page


def test_a_handler_gets_the_files_of_a_demand_routed_to_the_unit_only(log_in, journey, files, department_handler):
    client = log_in(department_handler)
    assert download(client, files["letter"]).status_code == 404

    demand = files["letter"].demand
    journey.to(demand, "routed")

    assert download(client, files["letter"]).status_code == 200
    assert download(client, files["memo"]).status_code == 200
