"""The financing need's way from posted to granted, as one transition table.

posted → matched (the engine found products) → in talks (a bank responded) →
intention (达成合作意向, with the intended amount) → granted (融资成功, with the amount)
or declined.  The enterprise may withdraw an open need; the daily job expires the
needs nobody acted on.  markets/actions.py is the only caller of :func:`check`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import NeedStatus as S


class Side(Enum):
    """Who acts, relative to one need (decided in markets/access.py)."""

    ENTERPRISE = "enterprise"  # the enterprise's own contact
    BANK = "bank"  # staff of a bank whose product matches the need
    STAFF = "staff"  # the platform's window staff (records outcomes of the financing day)
    SYSTEM = "system"  # the matching engine and the scheduled jobs


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None
    sides: frozenset[Side]
    event: str


E, B, ST, SYS = Side.ENTERPRISE, Side.BANK, Side.STAFF, Side.SYSTEM


def _t(sources, target, sides, event) -> Transition:
    return Transition(frozenset(sources), target, frozenset(sides), event)


TRANSITIONS: dict[str, Transition] = {
    "match": _t({S.POSTED}, S.MATCHED, {SYS}, "need_matched"),
    "unmatch": _t({S.MATCHED}, S.POSTED, {SYS}, "need_unmatched"),
    "respond": _t({S.MATCHED, S.IN_TALKS}, S.IN_TALKS, {B, ST}, "need_responded"),
    "intend": _t({S.IN_TALKS}, S.INTENTION, {B, ST}, "need_intention"),
    "grant": _t({S.IN_TALKS, S.INTENTION}, S.GRANTED, {B, ST}, "need_granted"),
    "decline": _t({S.MATCHED, S.IN_TALKS, S.INTENTION}, S.DECLINED, {B, ST}, "need_declined"),
    "withdraw": _t({S.POSTED, S.MATCHED, S.IN_TALKS, S.INTENTION}, S.WITHDRAWN, {E}, "need_withdrawn"),
    "expire": _t({S.POSTED, S.MATCHED}, S.EXPIRED, {SYS}, "need_expired"),
}

ACTION_LABELS = {
    "match": gettext_lazy("match"),
    "unmatch": gettext_lazy("unmatch"),
    "respond": gettext_lazy("respond"),
    "intend": gettext_lazy("record an intention"),
    "grant": gettext_lazy("record the loan granted"),
    "decline": gettext_lazy("decline"),
    "withdraw": gettext_lazy("withdraw"),
    "expire": gettext_lazy("expire"),
}


class TransitionNotAllowed(Exception):
    """The step is not possible now, or not for this person; the message says why."""


def check(action: str, status: str, sides: set[Side]) -> Transition:
    transition = TRANSITIONS[action]
    label = ACTION_LABELS[action]
    if status not in transition.sources:
        raise TransitionNotAllowed(
            _("“%(action)s” is not possible while the need is “%(status)s”.")
            % {"action": label, "status": S(status).label}
        )
    if not sides & transition.sides:
        raise TransitionNotAllowed(_("You cannot “%(action)s” this need.") % {"action": label})
    return transition


def allowed_actions(status: str, sides: set[Side]) -> list[str]:
    return [name for name, t in TRANSITIONS.items() if status in t.sources and sides & t.sides and SYS not in t.sides]
