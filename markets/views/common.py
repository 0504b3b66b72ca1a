"""Helpers the market pages share."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.access import is_government_staff

from ..access import is_enterprise
from ..criteria import RULES

PAGE_SIZE = 20

STATE_LABELS = {1.0: _("met"), 0.5: _("partly met"), 0.0: _("not met")}


def explain(match) -> list[dict]:
    """The criteria of a match, each with its label, weight and how far it is met."""
    rows = []
    for c in RULES[match.market].criteria:
        fraction = float(match.reasons.get(c.key, 0.0))
        state = "met" if fraction >= 1 else "partly" if fraction > 0 else "not"
        rows.append({"key": c.key, "label": c.label, "weight": c.weight, "state": state,
                     "state_label": STATE_LABELS[1.0 if fraction >= 1 else 0.5 if fraction > 0 else 0.0]})
    return rows


def require(condition: bool) -> None:
    if not condition:
        raise Http404("No such page.")


def require_staff(user) -> None:
    require(is_government_staff(user))


def require_enterprise(user) -> None:
    require(is_enterprise(user))


def error_text(error: Exception) -> str:
    return "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
