"""The demand workflow as one explicit transition table.

This is the national 12345 loop (国办发〔2020〕53号: 受理、调度、办理、回复、督办、办结、
回访、评价) applied to enterprises.  Each action names the statuses it may start
from, the status it leads to (None: the status does not change) and the sides that
may take it.  demands/actions.py is the only caller of :func:`check`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from django.utils.translation import gettext as _

from .models import Status


class Side(Enum):
    """Who acts, relative to one demand (decided in demands/access.py)."""

    WINDOW = "window"  # a service window whose scope covers the demand
    HANDLER = "handler"  # staff of the lead unit
    CO_HANDLER = "co_handler"  # staff of a co-handling unit: may add notes
    ENTERPRISE = "enterprise"  # the enterprise's own contact
    SUPERVISOR = "supervisor"  # the service office / leaders
    SYSTEM = "system"  # scheduled jobs


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None
    sides: frozenset[Side]
    event: str


OPEN = frozenset({Status.RECEIVED, Status.ACCEPTED, Status.ROUTED, Status.IN_PROGRESS, Status.WAITING_INFO})
HANDLING = frozenset({Status.ROUTED, Status.IN_PROGRESS, Status.WAITING_INFO})
W, H, E, S, SYS = Side.WINDOW, Side.HANDLER, Side.ENTERPRISE, Side.SUPERVISOR, Side.SYSTEM


def _t(sources, target, sides, event) -> Transition:
    return Transition(frozenset(sources), target, frozenset(sides), event)


TRANSITIONS: dict[str, Transition] = {
    "accept": _t({Status.RECEIVED}, Status.ACCEPTED, {W}, "demand_accepted"),
    "route": _t({Status.ACCEPTED}, Status.ROUTED, {W}, "demand_routed"),
    "transfer": _t({Status.ROUTED, Status.IN_PROGRESS}, Status.ROUTED, {W, S}, "demand_transferred"),
    "send_back": _t({Status.ROUTED, Status.IN_PROGRESS}, Status.ACCEPTED, {H}, "demand_sent_back"),
    "start": _t({Status.ROUTED}, Status.IN_PROGRESS, {H}, "demand_started"),
    "request_info": _t({Status.IN_PROGRESS}, Status.WAITING_INFO, {H}, "demand_info_requested"),
    "supply_info": _t({Status.WAITING_INFO}, Status.IN_PROGRESS, {E, W}, "demand_info_supplied"),
    "request_extension": _t({Status.IN_PROGRESS, Status.WAITING_INFO}, None, {H}, "demand_extension_requested"),
    "decide_extension": _t(HANDLING, None, {S}, "demand_extension_decided"),
    "answer": _t({Status.IN_PROGRESS}, Status.ANSWERED, {H}, "demand_answered"),
    "give_feedback": _t({Status.ANSWERED}, Status.FEEDBACK_GIVEN, {W}, "demand_feedback_given"),
    "rate": _t({Status.FEEDBACK_GIVEN}, Status.RATED, {E, W}, "demand_rated"),
    "reopen": _t({Status.FEEDBACK_GIVEN, Status.RATED}, Status.IN_PROGRESS, {E, W}, "demand_reopened"),
    "close": _t({Status.RATED}, Status.CLOSED, {W, S}, "demand_closed"),
    "close_unrated": _t({Status.FEEDBACK_GIVEN}, Status.CLOSED, {SYS}, "demand_closed_unrated"),
    "merge": _t(OPEN, Status.MERGED, {W}, "demand_merged"),
    "withdraw": _t(OPEN, Status.WITHDRAWN, {E}, "demand_withdrawn"),
    "supervise": _t(OPEN, None, {S, SYS}, "demand_supervised"),
    "add_note": _t(OPEN | {Status.ANSWERED, Status.FEEDBACK_GIVEN}, None, {W, H, Side.CO_HANDLER, S}, "demand_noted"),
}


class TransitionNotAllowed(Exception):
    """The action is not possible now, or not for this person; the message says why."""


class EditConflict(Exception):
    """Someone else changed the demand since the page was loaded."""


def check(action: str, status: str, sides: set[Side]) -> Transition:
    """Return the transition, or raise TransitionNotAllowed with a clear message."""
    transition = TRANSITIONS[action]
    if status not in transition.sources:
        raise TransitionNotAllowed(
            _("“%(action)s” is not possible while the demand is “%(status)s”.")
            % {"action": action_label(action), "status": Status(status).label}
        )
    if not sides & transition.sides:
        raise TransitionNotAllowed(
            _("You cannot “%(action)s” this demand.") % {"action": action_label(action)}
        )
    return transition


def allowed_actions(status: str, sides: set[Side]) -> list[str]:
    """The actions this person may take now, in table order (for the buttons)."""
    return [name for name, t in TRANSITIONS.items() if status in t.sources and sides & t.sides]


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def _labels() -> dict[str, str]:
    # Spelled gettext_lazy (not an alias) so that makemessages finds the labels.
    from django.utils.translation import gettext_lazy

    return {
        "accept": gettext_lazy("accept"),
        "route": gettext_lazy("route"),
        "transfer": gettext_lazy("transfer"),
        "send_back": gettext_lazy("send back"),
        "start": gettext_lazy("start handling"),
        "request_info": gettext_lazy("ask the enterprise for information"),
        "supply_info": gettext_lazy("supply information"),
        "request_extension": gettext_lazy("request an extension"),
        "decide_extension": gettext_lazy("decide an extension"),
        "answer": gettext_lazy("answer"),
        "give_feedback": gettext_lazy("give feedback"),
        "rate": gettext_lazy("rate"),
        "reopen": gettext_lazy("reopen"),
        "close": gettext_lazy("close out"),
        "close_unrated": gettext_lazy("close without rating"),
        "merge": gettext_lazy("merge"),
        "withdraw": gettext_lazy("withdraw"),
        "supervise": gettext_lazy("issue a supervision order"),
        "add_note": gettext_lazy("add a note"),
    }


ACTION_LABELS = _labels()
