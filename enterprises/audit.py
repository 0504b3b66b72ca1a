from auditlog.registry import auditlog

from . import models

auditlog.register(models.Enterprise, m2m_fields={"tags"}, exclude_fields=["name_initials", "updated_at"])
auditlog.register(models.Contact, exclude_fields=["updated_at"])
auditlog.register(models.YearFigures, exclude_fields=["updated_at"])
auditlog.register(models.Project, exclude_fields=["updated_at"])
