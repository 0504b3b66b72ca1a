"""Attachments: checked by content (never by file name), size-limited, never served as HTML."""

from __future__ import annotations

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .models import Attachment, DemandEvent

# What enterprises send: photos of the site, scanned letters, office documents.
ALLOWED = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "heic": "image/heic",
    "pdf": "application/pdf",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
INLINE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}


def sniff(upload) -> str:
    """The content type from the file's first bytes; raise if it is not allowed."""
    if upload.size > settings.QIFU_ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is too large (%(size)s); the limit is %(limit)s.")
            % {"name": upload.name, "size": filesizeformat(upload.size),
               "limit": filesizeformat(settings.QIFU_ATTACHMENT_MAX_BYTES)}
        )
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.extension not in ALLOWED:
        raise ValidationError(
            _("“%(name)s” is not a photo, PDF or office document (its content was checked, not its name).")
            % {"name": upload.name}
        )
    return ALLOWED[kind.extension]


def do_attach(demand, upload, *, acting_user, internal: bool = False) -> Attachment:
    """Store one checked file and note it in the demand's history."""
    content_type = sniff(upload)
    with transaction.atomic():
        attachment = Attachment.objects.create(
            demand=demand, file=upload, original_name=upload.name[:200], content_type=content_type,
            size=upload.size, is_internal=internal, uploaded_by=acting_user,
        )
        DemandEvent.objects.create(demand=demand, kind="demand_attachment_added", actor=acting_user,
                                   from_status=demand.status, to_status=demand.status, is_internal=internal,
                                   data={"attachment": attachment.pk, "name": attachment.original_name})
    return attachment
