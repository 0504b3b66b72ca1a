from django.urls import path

from .views import finance, space, talent

urlpatterns = [
    path("", space.markets_home, name="markets-home"),
    path("finance/", finance.finance_home, name="markets-finance-home"),
    path("finance/new/", finance.need_post, name="markets-finance-post"),
    path("finance/export/", finance.need_export, name="markets-finance-export"),
    path("finance/products/", finance.product_list, name="markets-finance-products"),
    path("finance/products/new/", finance.product_edit, name="markets-finance-product-new"),
    path("finance/products/<int:product_id>/", finance.product_edit, name="markets-finance-product-edit"),
    path("finance/figures/", finance.finance_figures, name="markets-finance-figures"),
    path("finance/days/", finance.day_list, name="markets-finance-days"),
    path("finance/days/<int:event_id>/", finance.day_detail, name="markets-finance-day"),
    path("finance/days/<int:event_id>/register/", finance.day_register, name="markets-finance-day-register"),
    path("finance/days/<int:event_id>/attendance/<int:registration_id>/", finance.day_attendance,
         name="markets-finance-day-attendance"),
    path("finance/matches/<int:match_id>/consent/", finance.match_consent, name="markets-finance-consent"),
    path("finance/needs/<int:need_id>/", finance.need_detail, name="markets-finance-need"),
    path("finance/needs/<int:need_id>/change/", finance.need_edit, name="markets-finance-need-edit"),
    path("finance/needs/<int:need_id>/<slug:action>/", finance.need_act, name="markets-finance-act"),
    path("space/", space.space_home, name="markets-space-home"),
    path("space/new/", space.space_post, name="markets-space-post"),
    path("space/export/", space.space_export, name="markets-space-export"),
    path("space/parks/", space.park_list, name="markets-parks"),
    path("space/matches/<int:match_id>/consent/", space.space_consent, name="markets-space-consent"),
    path("space/<int:listing_id>/", space.space_detail, name="markets-space-detail"),
    path("space/<int:listing_id>/status/", space.space_status, name="markets-space-status"),
    path("space/<int:listing_id>/publish/", space.space_publish, name="markets-space-publish"),
    path("talent/", talent.talent_home, name="markets-talent-home"),
]
