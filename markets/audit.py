from auditlog.registry import auditlog

from . import models

# The financing need's own event table is its history; the operation log records the
# changes to products, listings, parks, events and the consents given on matches.
for model in (models.FinancialProduct, models.FinancingNeed, models.SpaceListing, models.MicroPark,
              models.TalentProject, models.Investor, models.MarketEvent, models.Registration, models.Match):
    auditlog.register(model)
