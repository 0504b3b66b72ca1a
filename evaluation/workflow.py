"""The evaluation round's workflow as one table: which step is possible in which status, by whom.

A round is computed (DRAFT), sent to the enterprises to confirm their figures
(CONFIRMING, 一企一单), published for the notice period (NOTICE, 公示) in which
objections are raised and handled, and made FINAL.  evaluation/actions.py is the only
caller of :func:`check`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import RoundStatus


class Side(Enum):
    MANAGER = "manager"  # the evaluation office (city-wide staff who run the evaluation)
    TOWN = "town"  # the town window of the enterprise
    ENTERPRISE = "enterprise"  # the enterprise's own contact


@dataclass(frozen=True)
class Step:
    sources: frozenset[str]
    target: str | None  # None: the round's status does not change
    sides: frozenset[Side]
    label: object


M, T, E = Side.MANAGER, Side.TOWN, Side.ENTERPRISE
D, C, N = RoundStatus.DRAFT, RoundStatus.CONFIRMING, RoundStatus.NOTICE

STEPS: dict[str, Step] = {
    # In the notice too: an upheld objection is corrected in the registry, then the round is computed again.
    "recompute": Step(frozenset({D, C, N}), None, frozenset({M}), gettext_lazy("compute again")),
    "open_confirmation": Step(frozenset({D}), C, frozenset({M}), gettext_lazy("send for data confirmation")),
    "confirm_data": Step(frozenset({C}), None, frozenset({E}), gettext_lazy("confirm the figures")),
    "dispute_data": Step(frozenset({C}), None, frozenset({E}), gettext_lazy("dispute a figure")),
    "resolve_dispute": Step(frozenset({C}), None, frozenset({M, T}), gettext_lazy("answer the dispute")),
    "start_notice": Step(frozenset({C}), N, frozenset({M}), gettext_lazy("start the public notice")),
    "raise_objection": Step(frozenset({N}), None, frozenset({E, T}), gettext_lazy("raise an objection")),
    "handle_objection": Step(frozenset({N}), None, frozenset({M, T}), gettext_lazy("handle the objection")),
    "finalise": Step(frozenset({N}), RoundStatus.FINAL, frozenset({M}), gettext_lazy("make the results final")),
}


class StepNotAllowed(Exception):
    """The step is not possible now, or not for this person; the message says why."""


def check(step: str, status: str, sides: set[Side]) -> Step:
    """Return the step, or raise StepNotAllowed with a clear message."""
    definition = STEPS[step]
    if status not in definition.sources:
        raise StepNotAllowed(_("“%(step)s” is not possible while the round is “%(status)s”.")
                             % {"step": definition.label, "status": RoundStatus(status).label})
    if not sides & definition.sides:
        raise StepNotAllowed(_("You cannot “%(step)s” here.") % {"step": definition.label})
    return definition


def allowed_steps(status: str, sides: set[Side], names: tuple[str, ...]) -> list[str]:
    """Which of ``names`` this person may take now (for the buttons)."""
    return [n for n in names if status in STEPS[n].sources and sides & STEPS[n].sides]
