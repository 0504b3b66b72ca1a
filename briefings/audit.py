"""Issues and the distribution list are in the operation log.

The frozen figures and the record ids are left out of the log entries: they are
derived data, large, and the issue row itself says when and by whom they were made.
"""

from auditlog.registry import auditlog

from . import models

auditlog.register(models.BriefingIssue, exclude_fields=["updated_at", "sections", "error"])
auditlog.register(models.Recipient)
