"""The proposal list as Excel rows (the same queryset as the page, in the user's scope)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _


def proposal_rows(qs) -> tuple[list[str], Iterator[list]]:
    headers = [
        _("Kind"), _("Session"), _("Number"), _("Title"), _("Proposer"), _("Co-proposers"), _("Received on"),
        _("Demand"), _("Handling status"), _("Lead unit"), _("Co-handlers"), _("Answer by"),
        _("Document number"), _("Reply letter"), _("Issued at"),
    ]
    qs = qs.select_related("demand", "demand__lead_unit", "reply_letter").prefetch_related("demand__co_handlers")
    return headers, (_row(p) for p in qs.iterator(chunk_size=500))


def _row(proposal) -> list:
    demand = proposal.demand
    letter = getattr(proposal, "reply_letter", None)
    return [
        proposal.get_kind_display(), proposal.session, proposal.number, proposal.title, proposal.proposer,
        "、".join(proposal.co_proposer_list), proposal.received_on, demand.number, demand.get_status_display(),
        demand.lead_unit.name if demand.lead_unit else "", "、".join(u.name for u in demand.co_handlers.all()),
        demand.answer_due_on, letter.document_number if letter else "",
        letter.get_status_display() if letter else "", letter.issued_at if letter else None,
    ]
