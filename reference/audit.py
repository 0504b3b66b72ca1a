"""Every change to reference data goes to the operation log."""

from auditlog.registry import auditlog

from . import models

for model in (
    models.Channel,
    models.ConditionTag,
    models.Department,
    models.Category,
    models.Town,
    models.IndustryGroup,
    models.EnterpriseTag,
    models.Park,
):
    auditlog.register(model)
