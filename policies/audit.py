"""Policies, rule versions and their test cases are recorded in the operation log."""

from auditlog.registry import auditlog

from . import models

auditlog.register(models.Policy, exclude_fields=["updated_at"])
auditlog.register(models.PolicyVersion, exclude_fields=["updated_at"])
auditlog.register(models.PolicyTestCase, exclude_fields=["updated_at"])
