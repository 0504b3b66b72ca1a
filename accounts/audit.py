"""Users, roles and organisations are recorded in the operation log."""

from auditlog.registry import auditlog

from . import models

auditlog.register(
    models.User,
    exclude_fields=["last_login", "password"],
    m2m_fields={"roles"},
)
auditlog.register(models.Role)
auditlog.register(models.Organisation)
