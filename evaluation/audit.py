"""Schemes, rounds, results' confirmations, objections, rankings, zone modules and
appointments are recorded in the operation log; the round's own event table is its history."""

from auditlog.registry import auditlog

from . import models

auditlog.register(models.Scheme, exclude_fields=["updated_at"])
auditlog.register(models.Round, exclude_fields=["updated_at"])
# The calculation is large and derived from the figures; the log keeps what people change.
auditlog.register(models.Result, include_fields=["confirmation", "dispute_text", "resolution_text", "klass"])
auditlog.register(models.Objection, exclude_fields=["updated_at"])
auditlog.register(models.SubletDeclaration, exclude_fields=["updated_at"])
auditlog.register(models.RankingTable, exclude_fields=["updated_at"])
auditlog.register(models.ZoneModule)
auditlog.register(models.AppointmentSlot, exclude_fields=["updated_at"])
auditlog.register(models.Appointment, exclude_fields=["updated_at"])
