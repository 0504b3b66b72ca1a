"""Proposals and reply letters are recorded in the operation log; ProposalEvent is their history."""

from auditlog.registry import auditlog

from . import models

auditlog.register(models.Proposal, exclude_fields=["updated_at"])
auditlog.register(models.ReplyLetter, exclude_fields=["updated_at", "version"])
