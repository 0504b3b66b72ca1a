"""Every change to proposals and reply letters.

Each action runs in one transaction, is attributed in the operation log
(``core.audit.acting_as``) and appends a ProposalEvent.  The proposal's handling itself
(accept, route to a lead unit and co-handlers, start, answer …) is the demand's
workflow: call demands.actions on ``proposal.demand``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import acting_as
from demands import actions as demand_actions
from demands.models import AppealType, Status
from demands.workflow import EditConflict, TransitionNotAllowed
from reference.models import Channel

from . import access, letters
from .models import DUPLICATE_NUMBER, LetterStatus, Proposal, ProposalEvent, ReplyLetter

PROPOSAL_CHANNEL = "proposal"
# What a draft may change; status, issue data and the link to the proposal are the actions' business.
LETTER_FIELDS = ("issuing_body", "document_number", "signer", "title", "addressee", "body", "signature", "dated_on",
                 "cc", "contact_name", "contact_phone", "class_mark")

__all__ = ["EditConflict", "TransitionNotAllowed"]


def _event(proposal, kind, actor, *, note="", data=None) -> ProposalEvent:
    return ProposalEvent.objects.create(proposal=proposal, kind=kind, actor=actor, note=note, data=data or {})


def _names(text: str) -> str:
    """Co-proposers typed one per line or separated by 、，, ; or spaces; stored one per line."""
    for separator in ("、", "，", ",", "；", ";", "　", " "):
        text = text.replace(separator, "\n")
    return "\n".join(name.strip() for name in text.splitlines() if name.strip())


def do_register_proposal(*, acting_user, kind, session, number, title, proposer, text, received_on,
                         co_proposers="") -> Proposal:
    """登记: record a proposal and the demand (channel ``proposal``) that carries it through the workflow."""
    title = title.strip().strip("《》").strip()
    proposal = Proposal(kind=kind, session=session.strip(), number=number, title=title, proposer=proposer.strip(),
                        co_proposers=_names(co_proposers), received_on=received_on, created_by=acting_user)
    proposal.full_clean(exclude=["demand"])
    channel = Channel.objects.get(code=PROPOSAL_CHANNEL)
    with transaction.atomic(), acting_as(acting_user):
        demand = demand_actions.do_submit_demand(
            acting_user=acting_user, enterprise=None, channel=channel, appeal_type=AppealType.SUGGESTION,
            title=title, text=text, contact_name=proposal.proposer,
        )
        proposal.demand = demand
        try:
            with transaction.atomic():
                proposal.save()
        except IntegrityError:
            # Someone registered the same number a moment ago (full_clean checked before).
            raise ValidationError(DUPLICATE_NUMBER) from None
        _event(proposal, ProposalEvent.Kind.REGISTERED, acting_user, data={"demand": demand.number})
    return proposal


def _check_draft(letter: ReplyLetter, version: int | None) -> None:
    if letter.status != LetterStatus.DRAFT:
        raise TransitionNotAllowed(
            _("Reply letter %(number)s has been issued and can no longer be changed.")
            % {"number": letter.document_number or letter.title}
        )
    if version is not None and letter.version != version:
        raise EditConflict(_("Someone else changed this reply letter while you were editing it. "
                             "Reload the page to see the change; nothing of yours was saved."))


def _apply(letter: ReplyLetter, changes: dict) -> list[str]:
    """Set the changed fields, validate, and return the names of those that really changed."""
    unknown = set(changes) - set(LETTER_FIELDS)
    if unknown:
        raise ValueError(f"not letter fields: {sorted(unknown)}")
    changed = []
    for field, value in changes.items():
        value = value.strip() if isinstance(value, str) else value
        if getattr(letter, field) != value:
            changed.append(field)
            setattr(letter, field, value)
    letter.full_clean(exclude=["proposal"])
    return changed


def _save(letter: ReplyLetter) -> None:
    letter.version += 1
    try:
        with transaction.atomic():
            letter.save()
    except IntegrityError:
        raise ValidationError(
            {"document_number": _("This document number is already used by another letter.")}
        ) from None


def new_reply_letter(proposal: Proposal, *, author, today: dt.date | None = None) -> ReplyLetter:
    """An unsaved draft with the suggested values (number, title, addressee, cc …)."""
    today = today or timezone.localdate()
    return ReplyLetter(proposal=proposal, **letters.initial_letter(proposal, author=author, today=today))


def do_save_reply_draft(proposal: Proposal, *, acting_user, version: int | None = None, **changes) -> ReplyLetter:
    """Create or change the draft reply; refused once the letter is issued."""
    with transaction.atomic(), acting_as(acting_user):
        # Decide on the demand as it is now, not as the caller last loaded it.
        proposal = Proposal.objects.select_related("demand").get(pk=proposal.pk)
        if not access.can_write_letter(acting_user, proposal):
            raise TransitionNotAllowed(_("Only the lead unit or a supervisor can write this reply letter."))
        letter = ReplyLetter.objects.select_for_update().filter(proposal=proposal).first()
        if letter is None:
            letter = new_reply_letter(proposal, author=acting_user)
            letter.version = 0
        else:
            _check_draft(letter, version)
        changed = _apply(letter, changes)
        _save(letter)
        _event(proposal, ProposalEvent.Kind.DRAFT_SAVED, acting_user, data={"fields": changed})
    return letter


def _check_issuable(letter: ReplyLetter, acting_user) -> None:
    proposal = letter.proposal
    if not access.can_issue_letter(acting_user, proposal):
        raise TransitionNotAllowed(_("Only a handler of the lead unit can issue the reply letter."))
    demand = proposal.demand
    if demand.status != Status.IN_PROGRESS:
        raise TransitionNotAllowed(
            _("The reply letter can be issued only while the proposal is being handled; it is now “%(status)s”. "
              "Start handling it on the demand page first.") % {"status": Status(demand.status).label}
        )
    if not letter.document_number:
        raise ValidationError({"document_number": _("Give the letter a document number before issuing it.")})


def do_issue_reply(letter: ReplyLetter, *, acting_user, version: int | None = None, **changes) -> ReplyLetter:
    """发文: freeze the draft (with any last changes) and answer the demand with the letter's body.

    Only a draft can be issued, only by the lead unit, and only while the demand is in
    progress; otherwise TransitionNotAllowed says why and nothing changes.
    """
    with transaction.atomic(), acting_as(acting_user):
        letter = ReplyLetter.objects.select_for_update().select_related("proposal__demand").get(pk=letter.pk)
        _check_draft(letter, version)
        _apply(letter, changes)
        _check_issuable(letter, acting_user)
        proposal = letter.proposal
        note = _("Reply letter %(number)s issued.") % {"number": letter.document_number}
        demand_actions.do_answer(proposal.demand, acting_user=acting_user, version=None, answer=letter.body,
                                 internal_note=note)
        letter.status, letter.issued_at, letter.issued_by = LetterStatus.ISSUED, timezone.now(), acting_user
        _save(letter)
        _event(proposal, ProposalEvent.Kind.ISSUED, acting_user, note=note,
               data={"document_number": letter.document_number, "demand": proposal.demand.number})
    return letter
