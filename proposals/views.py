"""Proposal pages: list and export, registration, the proposal page, the reply letter."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.excel import xlsx_response
from demands.workflow import EditConflict, TransitionNotAllowed

from . import access, actions, exports, letters
from .forms import ProposalFilterForm, ProposalForm, ReplyLetterForm

PAGE_SIZE = 20
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404("No such page.")


def _filtered(request):
    qs = access.visible_proposals(request.user)
    sessions = qs.order_by("-session").values_list("session", flat=True).distinct()
    form = ProposalFilterForm(request.GET or None, sessions=list(sessions))
    return form, (form.apply(qs) if request.GET else qs)


@login_required
def proposal_list(request):
    _require(access.can_list_proposals(request.user))
    form, qs = _filtered(request)
    qs = qs.select_related("demand", "demand__lead_unit", "reply_letter")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "proposals/list.html", {
        "form": form, "page": page, "can_register": access.can_register_proposals(request.user),
    })


@login_required
def proposal_export(request):
    _require(access.can_list_proposals(request.user))
    _form, qs = _filtered(request)
    total = qs.count()
    if total > settings.QIFU_EXPORT_MAX_ROWS:
        messages.error(request, _("%(count)d proposals match; narrow the filter to at most %(limit)d to export.")
                       % {"count": total, "limit": settings.QIFU_EXPORT_MAX_ROWS})
        return redirect(f"{request.path.replace('export/', '')}?{request.GET.urlencode()}")
    headers, rows = exports.proposal_rows(qs)
    return xlsx_response(_("proposals"), headers, rows)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_register(request):
    _require(access.can_register_proposals(request.user))
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = actions.do_register_proposal(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Proposal registered as demand %(number)s; accept and route it on the "
                                        "demand page.") % {"number": proposal.demand.number})
            return redirect("proposals-detail", proposal_id=proposal.pk)
    sessions = access.visible_proposals(request.user).values_list("session", flat=True).distinct()
    return render(request, "proposals/register.html", {"form": form, "sessions": sorted(set(sessions))})


@login_required
def proposal_detail(request, proposal_id: int):
    proposal = access.access_proposal(request.user, proposal_id)
    demand = proposal.demand
    return render(request, "proposals/detail.html", {
        "proposal": proposal, "demand": demand, "letter": getattr(proposal, "reply_letter", None),
        "co_handlers": demand.co_handlers.all(), "events": proposal.events.select_related("actor"),
        "can_write": access.can_write_letter(request.user, proposal),
    })


@login_required
@require_http_methods(["GET", "POST"])
def letter_edit(request, proposal_id: int):
    proposal = access.access_proposal(request.user, proposal_id)
    letter = getattr(proposal, "reply_letter", None)
    can_write = access.can_write_letter(request.user, proposal) and (letter is None or letter.is_draft)
    if letter is None:
        _require(can_write)
        letter = actions.new_reply_letter(proposal, author=request.user)
    if request.method == "POST":
        _require(can_write)
    form = ReplyLetterForm(request.POST or None, instance=letter)
    if form.is_bound and form.is_valid():
        try:
            letter = _save_or_issue(request, proposal, form)
        except (ValidationError, TransitionNotAllowed, EditConflict) as error:
            _report(request, form, error)
        else:
            return redirect("proposals-letter", proposal_id=proposal.pk)
    return render(request, "proposals/letter.html", {
        "proposal": proposal, "letter": letter, "form": form, "can_write": can_write,
        "can_issue": can_write and access.can_issue_letter(request.user, proposal),
        "blocks": letters.letter_blocks(letter),
    })


def _save_or_issue(request, proposal, form):
    version = form.cleaned_data["version"]
    if "issue" in request.POST and form.instance.pk:
        letter = actions.do_issue_reply(form.instance, acting_user=request.user, version=version,
                                        **form.changes())
        messages.success(request, _("Reply letter %(number)s issued; the demand has been answered with it.")
                         % {"number": letter.document_number})
        return letter
    letter = actions.do_save_reply_draft(proposal, acting_user=request.user, version=version, **form.changes())
    messages.success(request, _("Draft saved."))
    return letter


def _report(request, form, error) -> None:
    if isinstance(error, ValidationError):
        form.add_error(None, error)
    else:
        messages.error(request, str(error))


@login_required
def letter_download(request, proposal_id: int):
    proposal = access.access_proposal(request.user, proposal_id)
    letter = getattr(proposal, "reply_letter", None)
    if letter is None:
        raise Http404("No reply letter yet.")
    response = HttpResponse(letters.build_docx(letter), content_type=DOCX)
    name = quote(letters.docx_filename(letter))
    response["Content-Disposition"] = f"attachment; filename=\"reply-letter.docx\"; filename*=UTF-8''{name}"
    return response
