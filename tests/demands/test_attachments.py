"""Attachments are judged by their content, never by their name, and are size-limited."""

from __future__ import annotations

import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from demands.attachments import do_attach, sniff
from demands.models import Attachment

pytestmark = pytest.mark.django_db


def png_bytes(width: int = 4, height: int = 3) -> bytes:
    """A real, decodable PNG: signature, IHDR, one zlib-compressed IDAT of red pixels, IEND."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def test_a_photo_of_the_site_is_stored_as_png_under_a_name_of_our_own(journey, hongda_contact):
    # Given 宏达's demand and a photo of the flooded factory gate
    demand = journey.submit()
    photo = SimpleUploadedFile("厂门积水.png", png_bytes(), content_type="application/octet-stream")

    # When the contact attaches it
    attachment = do_attach(demand, photo, acting_user=hongda_contact)

    # Then it is kept as a PNG, with its own name shown but not used on disk, and noted in the history
    attachment.refresh_from_db()
    assert (attachment.content_type, attachment.original_name, attachment.size) == (
        "image/png", "厂门积水.png", len(png_bytes()))
    assert attachment.file.name.startswith(f"demands/{demand.pk}/")
    assert "厂门" not in attachment.file.name and not attachment.file.name.endswith(".png")
    assert attachment.file.read() == png_bytes()
    event = demand.events.last()
    assert (event.kind, event.actor, event.data) == (
        "demand_attachment_added", hongda_contact, {"attachment": attachment.pk, "name": "厂门积水.png"})


def test_the_content_decides_the_type_not_the_name():
    assert sniff(SimpleUploadedFile("报告.pdf", png_bytes())) == "image/png"


def test_a_web_page_named_like_a_photo_is_refused(journey, hongda_contact):
    demand = journey.submit()
    disguised = SimpleUploadedFile("photo.jpg", HTML, content_type="image/jpeg")

    with pytest.raises(ValidationError, match="photo.jpg"):
        do_attach(demand, disguised, acting_user=hongda_contact)

    assert not Attachment.objects.exists()
    assert not demand.events.filter(kind="demand_attachment_added").exists()


def test_a_file_over_the_size_limit_is_refused(journey, hongda_contact, settings):
    demand = journey.submit()
    photo = png_bytes(64, 64)

    settings.QIFU_ATTACHMENT_MAX_BYTES = len(photo) - 1
    with pytest.raises(ValidationError):
        do_attach(demand, SimpleUploadedFile("大图.png", photo), acting_user=hongda_contact)
    assert not Attachment.objects.exists()

    settings.QIFU_ATTACHMENT_MAX_BYTES = len(photo)
    assert do_attach(demand, SimpleUploadedFile("大图.png", photo), acting_user=hongda_contact).size == len(photo)
