"""Assignments, visits, problems, photos and condition items are recorded in the operation log."""

from auditlog.registry import auditlog

from . import models

auditlog.register(models.Assignment)
auditlog.register(models.Visit, m2m_fields={"policies"})
auditlog.register(models.VisitEnterprise)
auditlog.register(models.VisitCadre)
auditlog.register(models.VisitProblem)
auditlog.register(models.VisitPhoto)
auditlog.register(models.ConditionItem, m2m_fields={"tags"})
