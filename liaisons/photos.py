"""Visit photos: checked by content with the demands' attachment checker, photos only."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from demands.attachments import sniff

PHOTO_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/heic"}


def check_photo(upload) -> str:
    """The photo's content type; raise ValidationError for anything that is not a photo."""
    content_type = sniff(upload)  # size limit and content check, shared with demand attachments
    if content_type not in PHOTO_TYPES:
        raise ValidationError(_("“%(name)s” is not a photo.") % {"name": upload.name})
    return content_type


def digest(upload) -> str:
    sha = hashlib.sha256()
    for chunk in upload.chunks():
        sha.update(chunk)
    upload.seek(0)
    return sha.hexdigest()
