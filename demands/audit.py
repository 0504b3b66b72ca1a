from auditlog.registry import auditlog

from . import models

# The demand's own event table is its history; the operation log additionally
# records changes to the rules and the calendar, which are reference data.
auditlog.register(models.DeadlineRule)
auditlog.register(models.CalendarDay)
