"""Deputies' and members' proposals (建议提案) and the reply letters (答复函) that answer them.

A proposal is handled as a demand (demands.Demand on the ``proposal`` channel, with no
enterprise and no town): the same acceptance, routing to a lead unit and co-handlers,
deadlines, supervision and event history.  What is particular to proposals lives here:
who proposed what at which session, and the official reply letter, drafted and then
issued once (issuing answers the demand with the letter's body).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimestampedModel


class Kind(models.TextChoices):
    DEPUTY = "deputy", _("Deputy's proposal (People's Congress)")  # 人大代表建议
    MEMBER = "member", _("Member's proposal (CPPCC)")  # 政协委员提案


DUPLICATE_NUMBER = _("This session already has a proposal of this kind with this number.")


class Proposal(TimestampedModel):
    """A proposal (建议 / 提案) numbered within its session, carried by one demand."""

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    session = models.CharField(
        _("session"), max_length=40, help_text=_("As written in the letter, e.g. 市十七届人大五次会议.")
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=120, help_text=_("Without the book-title marks 《》."))
    proposer = models.CharField(_("proposer"), max_length=50)
    co_proposers = models.TextField(_("co-proposers"), blank=True, help_text=_("One name per line."))
    received_on = models.DateField(_("received on"))
    demand = models.OneToOneField(
        "demands.Demand", on_delete=models.PROTECT, related_name="proposal", verbose_name=_("demand")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("registered by"),
    )

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-received_on", "kind", "session", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "session", "number"], name="proposal_kind_session_number",
                violation_error_message=DUPLICATE_NUMBER,
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.number} {self.title}"

    @property
    def co_proposer_list(self) -> list[str]:
        return [name for name in (line.strip() for line in self.co_proposers.splitlines()) if name]


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草稿: still editable
    ISSUED = "issued", _("Issued")  # 已发文: final, the demand has been answered with it


class ClassMark(models.TextChoices):
    """类别号: how far the proposal could be met, marked at the top of the letter."""

    A = "A", _("A — solved or mostly solved")  # 所提问题已经解决或基本解决
    B = "B", _("B — planned to be solved")  # 列入计划逐步解决
    C = "C", _("C — cannot be solved for now; kept for reference")  # 因条件限制暂不能解决


class ReplyLetter(TimestampedModel):
    """The reply letter (答复函) to one proposal; a draft until issued, then frozen."""

    proposal = models.OneToOneField(
        Proposal, on_delete=models.CASCADE, related_name="reply_letter", verbose_name=_("proposal")
    )
    issuing_body = models.CharField(_("issuing body"), max_length=50)
    document_number = models.CharField(
        _("document number"), max_length=40, blank=True, help_text=_("For example 慈经信建〔2021〕1号.")
    )
    signer = models.CharField(_("signed off by"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=120)
    addressee = models.CharField(_("addressee"), max_length=100)
    body = models.TextField(_("body"), help_text=_("Separate paragraphs with a blank line."))
    signature = models.CharField(_("signature"), max_length=50)
    dated_on = models.DateField(_("date"))
    cc = models.TextField(_("cc"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=20, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    class_mark = models.CharField(_("class mark"), max_length=1, choices=ClassMark.choices, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=LetterStatus.choices, default=LetterStatus.DRAFT)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("issued by"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("reply letter")
        verbose_name_plural = _("reply letters")
        constraints = [
            models.UniqueConstraint(
                fields=["document_number"], condition=~Q(document_number=""), name="reply_letter_document_number",
                violation_error_message=_("This document number is already used by another letter."),
            )
        ]

    def __str__(self) -> str:
        return self.document_number or self.title

    @property
    def is_draft(self) -> bool:
        return self.status == LetterStatus.DRAFT

    def paragraphs(self) -> list[str]:
        """The body's paragraphs: every non-empty line (blank lines between them are optional)."""
        return [line.strip() for line in self.body.splitlines() if line.strip()]


class ProposalEvent(models.Model):
    """One step in a proposal's own history (registration, letter drafts, issue)."""

    class Kind(models.TextChoices):
        REGISTERED = "proposal_registered", _("Proposal registered")
        DRAFT_SAVED = "reply_draft_saved", _("Reply letter draft saved")
        ISSUED = "reply_issued", _("Reply letter issued")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events",
                                 verbose_name=_("proposal"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("event"), max_length=40, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("by")
    )
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("proposal event")
        verbose_name_plural = _("proposal events")

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.kind}"
