"""Policies, rule versions and their test cases are recorded in the operation log."""

from auditlog.registry import auditlog

from . import models

auditlog.register(models.Policy, exclude_fields=["updated_at"])
auditlog.register(models.PolicyVersion, exclude_fields=["updated_at"])
auditlog.register(models.PolicyTestCase, exclude_fields=["updated_at"])
auditlog.register(models.PayoutBatch, exclude_fields=["updated_at"])
auditlog.register(models.PayoutLine, exclude_fields=["updated_at"])
# A weekly push (about 500 a year) and a match run (one a night) are logged; the match
# rows themselves are not: they are derived data rewritten in bulk by every refresh
# (millions of rows for 1,000 policies), and the run that wrote them is in the log.
auditlog.register(models.PolicyPush, exclude_fields=["notifications"])
auditlog.register(models.PolicyMatchRun)
