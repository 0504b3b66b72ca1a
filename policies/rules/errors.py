"""The one error a rule can raise while it is read, checked or evaluated."""

from __future__ import annotations

from django.utils.translation import gettext as _


class RuleError(ValueError):
    """A rule that cannot be accepted: a message for policy staff and where it went wrong.

    ``position`` is the 0-based character offset in the text as the author wrote it
    (before 万/亿/% were rewritten), or None when the whole rule is at fault.
    """

    def __init__(self, message: str, position: int | None = None, source: str = ""):
        self.message = message
        self.position = position
        self.source = source
        super().__init__(self.__str__())

    def __str__(self) -> str:
        if self.position is None:
            return self.message
        return _("%(message)s (at character %(character)d)") % {
            "message": self.message,
            "character": self.position + 1,
        }
